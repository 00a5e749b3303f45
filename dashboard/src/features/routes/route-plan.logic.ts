import type {
  MoveStopRequest,
  LockStopRequest,
  OffRouteEvent,
  PlanChangedEvent,
  PlanProgressEvent,
  PlanRoute,
  PlanStop,
  RoutePlan,
} from '@sanitation/contracts';

/**
 * The route planner's logic, kept out of the components so it is unit-tested without a DOM:
 * route colours, city-time formatting, load-curve series, applying live events to a plan and
 * building the edit requests.
 */

/** Distinct on the dark wall-screen map and for colour-blind viewers first (Okabe–Ito order, then more). */
export const ROUTE_COLOURS = ['#56b4e9', '#e69f00', '#cc79a7', '#009e73', '#f0e442', '#d55e00', '#0072b2', '#b39ddb', '#80cbc4', '#ffab91'] as const;

/**
 * A route's colour follows its vehicle's place in the plan's request, not the route's place in
 * the list, so a truck keeps its colour when a re-plan drops or reorders routes.
 */
export function routeColour(plan: Pick<RoutePlan, 'params'>, vehicleId: string): string {
  const i = plan.params.vehicleIds.indexOf(vehicleId);
  return ROUTE_COLOURS[(i < 0 ? 0 : i) % ROUTE_COLOURS.length]!;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** `HH:MM` on the city's clock (the browser may sit in another zone). */
export function formatClock(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  let f = clockFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormats.set(timeZone, f);
  }
  return f.format(new Date(ms));
}

/** The city's calendar date (`YYYY-MM-DD`) at an instant: the default round date. */
export function cityDate(instant: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

export const formatKm = (m: number): string => `${(m / 1000).toFixed(1)} km`;
export const formatKg = (kg: number): string => `${Math.round(kg).toLocaleString('en-US')} kg`;

/** Seconds as `H:MM` (a round lasts hours; seconds are noise). */
export function formatDuration(s: number): string {
  const minutes = Math.round(Math.max(0, s) / 60);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Signed delay in whole minutes, e.g. `+7 min`, `-3 min`, `0 min`. */
export function formatDelay(s: number): string {
  const m = Math.round(s / 60);
  return `${m > 0 ? '+' : ''}${m} min`;
}

/** The number shown on a collect stop's marker and row (1-based among the route's collect stops); null otherwise. */
export function stopNumbers(route: Pick<PlanRoute, 'stops'>): Map<string, number> {
  const numbers = new Map<string, number>();
  let n = 0;
  for (const s of route.stops) if (s.kind === 'collect') numbers.set(s.stopId, ++n);
  return numbers;
}

export interface LoadCurve {
  /** epoch seconds */
  x: number[];
  load: number[];
  capacity: number[];
}

/**
 * Load on board over the round, as uPlot series: at each stop the load steps from what was on
 * board on arrival to what leaves (up at a bin, down at the unload site), so two points per stop.
 */
export function loadCurve(route: Pick<PlanRoute, 'stops' | 'capacityKg'>): LoadCurve {
  const curve: LoadCurve = { x: [], load: [], capacity: [] };
  let onBoard = 0;
  const push = (iso: string, kg: number) => {
    const t = Date.parse(iso) / 1000;
    if (!Number.isFinite(t)) return;
    curve.x.push(t);
    curve.load.push(kg);
    curve.capacity.push(route.capacityKg);
  };
  for (const s of route.stops) {
    push(s.serviceAt, onBoard);
    push(s.departAt, s.loadAfterKg);
    onBoard = s.loadAfterKg;
  }
  return curve;
}

/** Highest load of a route as a share of its capacity (0..1+): over 1 means the plan is infeasible. */
export function peakLoadShare(route: Pick<PlanRoute, 'stops' | 'capacityKg'>): number {
  const peak = route.stops.reduce((m, s) => Math.max(m, s.loadAfterKg), 0);
  return route.capacityKg > 0 ? peak / route.capacityKg : 0;
}

/**
 * A plan from the socket replaces the one shown when it is the same plan and not older (a late
 * event must not roll back an edit the dispatcher just made). Returns the plan to show.
 */
export function applyChanged(current: RoutePlan | null, event: PlanChangedEvent): RoutePlan | null {
  if (!current || current.planId !== event.plan.planId) return current;
  return event.plan.version >= current.version ? event.plan : current;
}

export interface ProgressResult {
  plan: RoutePlan;
  /** the event names a newer version than the one held: the caller reloads the plan */
  stale: boolean;
}

/** Puts live progress (per route and per stop) into the plan; other plans' events are ignored. */
export function applyProgress(plan: RoutePlan, event: PlanProgressEvent): ProgressResult {
  if (event.planId !== plan.planId) return { plan, stale: false };
  const byVehicle = new Map(event.routes.map((r) => [r.vehicleId, r]));
  let changed = false;
  const routes = plan.routes.map((route) => {
    const update = byVehicle.get(route.vehicleId);
    if (!update) return route;
    changed = true;
    const stops = new Map(update.stops.map((s) => [s.stopId, s]));
    return {
      ...route,
      progress: update.progress,
      stops: route.stops.map((s): PlanStop => {
        const u = stops.get(s.stopId);
        return u ? { ...s, progress: u.progress, actualArriveAt: u.actualArriveAt, etaAt: u.etaAt } : s;
      }),
    };
  });
  return { plan: changed ? { ...plan, routes } : plan, stale: event.version > plan.version };
}

/** Off-route alerts by vehicle for the plan shown; a later fix back on the path clears it (progress says so). */
export function applyOffRoute(held: Readonly<Record<string, OffRouteEvent>>, plan: RoutePlan | null, event: OffRouteEvent): Record<string, OffRouteEvent> {
  if (!plan || plan.planId !== event.planId) return { ...held };
  return { ...held, [event.vehicleId]: event };
}

/** Vehicles shown as off their path: the latest alert unless progress since reports it back on route. */
export function offRouteVehicles(plan: RoutePlan, alerts: Readonly<Record<string, OffRouteEvent>>): Set<string> {
  const out = new Set<string>();
  for (const r of plan.routes) {
    const alert = alerts[r.vehicleId];
    const p = r.progress;
    if (p?.offRoute) out.add(r.vehicleId);
    else if (alert && alert.planId === plan.planId && !(p && p.lastFixAt && Date.parse(p.lastFixAt) > Date.parse(alert.at))) out.add(r.vehicleId);
  }
  return out;
}

export interface EditRequest<B> {
  method: 'POST' | 'PATCH';
  path: string;
  body: B;
}

const planPath = (plan: Pick<RoutePlan, 'planId'>) => `/routing/plans/${encodeURIComponent(plan.planId)}`;

export function lockRequest(plan: RoutePlan, stop: Pick<PlanStop, 'stopId' | 'locked'>): EditRequest<LockStopRequest> {
  return { method: 'PATCH', path: `${planPath(plan)}/stops/${encodeURIComponent(stop.stopId)}`, body: { version: plan.version, locked: !stop.locked } };
}

/** Where a stop sits now: its vehicle and its index among that route's collect stops. */
export function stopPlace(plan: RoutePlan, stopId: string): { vehicleId: string; index: number } | null {
  for (const r of plan.routes) {
    const i = r.stops.filter((s) => s.kind === 'collect').findIndex((s) => s.stopId === stopId);
    if (i >= 0) return { vehicleId: r.vehicleId, index: i };
  }
  return null;
}

/**
 * A move to a vehicle's route at a 0-based position among its collect stops. Returns an error
 * key (routes namespace) instead when the move could not be valid, so nothing is sent.
 */
export function moveRequest(plan: RoutePlan, stopId: string, toVehicleId: string, toIndex: number): EditRequest<MoveStopRequest> | { error: string } {
  const from = stopPlace(plan, stopId);
  if (!from) return { error: 'move.unknownStop' };
  if (!plan.routes.some((r) => r.vehicleId === toVehicleId)) return { error: 'move.unknownVehicle' };
  if (!Number.isInteger(toIndex) || toIndex < 0) return { error: 'move.badIndex' };
  if (from.vehicleId === toVehicleId && from.index === toIndex) return { error: 'move.samePlace' };
  return { method: 'POST', path: `${planPath(plan)}/moves`, body: { version: plan.version, stopId, toVehicleId, toIndex } };
}

/** What the dispatcher may do with a plan in its status. */
export function allowedActions(plan: Pick<RoutePlan, 'status'>): { edit: boolean; publish: boolean; breakdown: boolean; cancel: boolean } {
  const draft = plan.status === 'draft';
  const published = plan.status === 'published';
  return { edit: draft, publish: draft, breakdown: published, cancel: draft || published };
}

/** The plan to open on arrival: the newest published one, else the newest draft. */
export function pickPlan<T extends Pick<RoutePlan, 'planId' | 'status' | 'createdAt'>>(plans: readonly T[]): T | null {
  const newest = (status: string) =>
    plans.filter((p) => p.status === status).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))[0] ?? null;
  return newest('published') ?? newest('draft');
}
