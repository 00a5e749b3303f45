import type { CreatePlanRequest, OffRouteEvent, RoutePlan } from '@sanitation/contracts';
import { ApiError } from '../../api/http';
import { live } from '../../live/live-connection';
import { Store } from '../../state/store';
import { applyChanged, applyOffRoute, applyProgress } from './route-plan.logic';
import { routesApi } from './routes.api';

export type Busy = 'load' | 'create' | 'lock' | 'move' | 'optimize' | 'publish' | 'breakdown' | 'cancel';

/** An error to show: `stale` = the server refused an edit made on an old version (409) and the plan was reloaded. */
export interface PlanError {
  kind: 'stale' | 'failed';
  message: string;
}

export interface RoutesState {
  plan: RoutePlan | null;
  offRoute: Record<string, OffRouteEvent>;
  busy: Busy | null;
  error: PlanError | null;
  /** the route whose load curve shows and which the map draws on top */
  selectedVehicle: string | null;
}

const initial: RoutesState = { plan: null, offRoute: {}, busy: null, error: null, selectedVehicle: null };

/** The plan the dispatcher is looking at; the panel and the map's route layer both follow it. */
export const routesState = new Store<RoutesState>(initial);

/** A place the map should fly to without selecting an asset (a depot or unload site clicked in the list). */
export const routesFocus = new Store<{ lon: number; lat: number } | null>(null);

export function focusOn(lon: number, lat: number): void {
  routesFocus.set({ lon, lat });
}

const patch = (p: Partial<RoutesState>) => routesState.update((s) => ({ ...s, ...p }));

function showPlan(plan: RoutePlan | null): void {
  routesState.update((s) => ({
    ...s,
    plan,
    offRoute: plan && s.plan?.planId === plan.planId ? s.offRoute : {},
    selectedVehicle: plan?.routes.some((r) => r.vehicleId === s.selectedVehicle) ? s.selectedVehicle : (plan?.routes[0]?.vehicleId ?? null),
  }));
  // Plan events are sent to the plan's zone.
  live.setExtraZones(plan ? [plan.zone] : []);
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function resetRoutes(): void {
  routesState.set(initial);
  live.setExtraZones([]);
}

export function selectRoute(vehicleId: string | null): void {
  patch({ selectedVehicle: vehicleId });
}

export function clearPlanError(): void {
  patch({ error: null });
}

export async function openPlan(planId: string): Promise<void> {
  patch({ busy: 'load', error: null });
  try {
    showPlan(await routesApi.get(planId));
    patch({ busy: null });
  } catch (err) {
    patch({ busy: null, error: { kind: 'failed', message: messageOf(err) } });
  }
}

/** Asks the server for a plan (the solver runs for up to the time limit). */
export async function createPlan(req: CreatePlanRequest): Promise<boolean> {
  patch({ busy: 'create', error: null });
  try {
    showPlan(await routesApi.create(req));
    patch({ busy: null });
    return true;
  } catch (err) {
    patch({ busy: null, error: { kind: 'failed', message: messageOf(err) } });
    return false;
  }
}

/**
 * Runs one edit on the plan shown. A 409 means someone (or a re-plan) changed the plan since it
 * was loaded: the server's message is shown and the current plan is fetched again.
 */
export async function runEdit(kind: Busy, edit: (plan: RoutePlan) => Promise<RoutePlan>): Promise<boolean> {
  const plan = routesState.get().plan;
  if (!plan || routesState.get().busy) return false;
  patch({ busy: kind, error: null });
  try {
    showPlan(await edit(plan));
    patch({ busy: null });
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      const fresh = await routesApi.get(plan.planId).catch(() => null);
      if (fresh) showPlan(fresh);
      patch({ busy: null, error: { kind: 'stale', message: err.message } });
    } else patch({ busy: null, error: { kind: 'failed', message: messageOf(err) } });
    return false;
  }
}

let reloading = false;
async function reloadShown(): Promise<void> {
  const plan = routesState.get().plan;
  if (!plan || reloading) return;
  reloading = true;
  try {
    const fresh = await routesApi.get(plan.planId);
    if (routesState.get().plan?.planId === fresh.planId) showPlan(fresh);
  } catch {
    // keep what is shown; the next event or resync tries again
  } finally {
    reloading = false;
  }
}

live.on('planChanged', (event) => {
  const current = routesState.get().plan;
  const next = applyChanged(current, event);
  if (next !== current) showPlan(next);
});
live.on('planProgress', (event) => {
  const current = routesState.get().plan;
  if (!current) return;
  const { plan, stale } = applyProgress(current, event);
  if (plan !== current) patch({ plan });
  if (stale) void reloadShown();
});
live.on('planOffRoute', (event) => patch({ offRoute: applyOffRoute(routesState.get().offRoute, routesState.get().plan, event) }));
// After a reconnect the plan may have moved on without us.
live.on('resynced', () => void reloadShown());
