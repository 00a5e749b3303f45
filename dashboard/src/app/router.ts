import { Store } from '../state/store';

/** Hash routes: `#/ops`, `#/routes`, `#/kpi`, `#/crew`, `#/login`. The server's SPA fallback serves index.html for any path. */
export type Route = '/ops' | '/routes' | '/kpi' | '/crew' | '/login';
const ROUTES: readonly Route[] = ['/ops', '/routes', '/kpi', '/crew', '/login'];

export function parseRoute(hash: string): Route | null {
  const path = hash.replace(/^#/, '').split('?')[0] ?? '';
  return (ROUTES as readonly string[]).includes(path) ? (path as Route) : null;
}

export const route = new Store<Route | null>(parseRoute(location.hash));
window.addEventListener('hashchange', () => route.set(parseRoute(location.hash)));

export function navigate(to: Route): void {
  if (location.hash !== `#${to}`) location.hash = to;
  route.set(to);
}
