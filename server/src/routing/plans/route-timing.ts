import type { PlanRoute } from '@sanitation/contracts';
import type { TravelMatrix } from '../travel/travel-time.provider.js';
import type { RoutingDefaults } from '../routing.defaults.js';

const iso = (ms: number) => new Date(Math.round(ms)).toISOString();
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Re-times a route whose order a dispatcher fixed by hand (a moved stop): drives the stops in order
 * from the start's departure, waits for windows, keeps the unloads where they are. `matrix` is over
 * the route's stops in order. Returns false when capacity or a window is now violated.
 */
export function retimeRoute(route: PlanRoute, matrix: TravelMatrix, d: RoutingDefaults): boolean {
  const n = route.stops.length;
  let ok = true;
  let t = Date.parse(route.stops[0]!.departAt);
  const start = t;
  let load = route.stops[0]!.loadAfterKg;
  let distance = 0;
  for (let i = 1; i < n; i++) {
    const s = route.stops[i]!;
    distance += matrix.distanceM[(i - 1) * n + i]!;
    const arrive = t + matrix.durationS[(i - 1) * n + i]! * 1000;
    const from = s.windowFrom ? Date.parse(s.windowFrom) : -Infinity;
    const service = Math.max(arrive, from);
    if (s.windowTo && service > Date.parse(s.windowTo)) ok = false;
    const serviceS = s.kind === 'collect' ? (s.deviceKind === 'septic' ? d.SEPTIC_SERVICE_S : d.BIN_SERVICE_S) : s.kind === 'unload' ? d.UNLOAD_S : 0;
    s.arriveAt = iso(arrive);
    s.serviceAt = iso(service);
    s.departAt = iso(service + serviceS * 1000);
    if (s.kind === 'collect') load += s.demandKg;
    if (s.kind === 'unload') {
      s.demandKg = round1(-load);
      load = 0;
    }
    if (load > route.capacityKg + 1e-6) ok = false;
    s.loadAfterKg = round1(load);
    t = service + serviceS * 1000;
  }
  route.distanceM = Math.round(distance);
  route.durationS = Math.round((t - start) / 1000);
  return ok;
}
