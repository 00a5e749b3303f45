import type { Job, OffRouteEvent, PlanRoute, PlanStop, RoutePlan, StopProgress, TruckPositionEvent } from '@sanitation/contracts';
import { haversineM } from '../../common/geo.js';
import type { Clock } from '../../clock/clock.js';
import { estimateDistanceM, secondsAt } from '../travel/straight-line.provider.js';
import { TRAVEL_DEFAULTS } from '../travel/travel.defaults.js';
import { distanceToPathM } from './path-distance.js';
import { PROGRESS_DEFAULTS, type ProgressOptions } from './progress.defaults.js';
import type { RouteProgressUpdate } from './published-plans.port.js';

/** What the tracker asks its host to do (raise/clear the alarm, emit, complete the plan). */
export type TrackerEffect =
  | { type: 'off-route'; plan: RoutePlan; deviceId: string; event: OffRouteEvent }
  | { type: 'back-on-route'; plan: RoutePlan; vehicleId: string; deviceId: string; at: number; reason: string }
  | { type: 'completed'; planId: string };

export interface PlanProgressSnapshot {
  plan: RoutePlan;
  routes: RouteProgressUpdate[];
}

interface StopState {
  progress: StopProgress;
  actualArriveAt: number | null;
}

interface RouteState {
  lastFix: { lat: number; lon: number; ts: number } | null;
  deviceId: string | null;
  offM: number | null;
  offSince: number | null;
  alarmed: boolean;
}

interface PlanState {
  plan: RoutePlan;
  stops: Map<string, StopState>;
  routes: Map<string, RouteState>;
  dirty: boolean;
  completed: boolean;
}

const RANK: Record<StopProgress, number> = { planned: 0, en_route: 1, on_site: 2, done: 3, skipped: 3 };
const FINISHED = (p: StopProgress): boolean => p === 'done' || p === 'skipped';
const JOB_PROGRESS: Partial<Record<Job['status'], StopProgress>> = { en_route: 'en_route', on_site: 'on_site', done: 'done', cancelled: 'skipped' };
const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
const iso = (t: number): string => new Date(t).toISOString();

/**
 * Live progress of published plans, pure: fed truck fixes and job changes, it keeps each stop's
 * progress (planned → en_route → on_site → done, cancelled → skipped; never backwards), arrivals
 * (job on site, or the truck's first fix within ARRIVE_M of one of its next stops), the delay at the
 * last stop reached, ETAs for the stops ahead, and off-route state against each route's planned path.
 *
 * ETA: the leg from the truck's last fix to its next stop is the straight-line estimate (× detour at
 * the average speed, TRAVEL_DEFAULTS); the stops after it follow the plan's own leg durations and
 * service times (waiting for a stop's window where it has one).
 */
export class RouteProgressTracker {
  private readonly o: ProgressOptions;
  private readonly plans = new Map<string, PlanState>();
  private readonly byJob = new Map<string, { planId: string; stopId: string }>();

  constructor(
    private readonly clock: Clock,
    overrides: Partial<ProgressOptions> = {},
    /** a truck fix without vehicleId is matched through its device */
    private readonly vehicleOfDevice: (deviceId: string) => string | null = () => null,
  ) {
    this.o = { ...PROGRESS_DEFAULTS, ...overrides };
  }

  /** Replace the tracked plans (published ones), keeping what was learned about plans still there. */
  setPlans(plans: readonly RoutePlan[]): TrackerEffect[] {
    const effects: TrackerEffect[] = [];
    const keep = new Set(plans.map((p) => p.planId));
    for (const [planId, state] of this.plans) {
      if (keep.has(planId)) continue;
      for (const route of state.plan.routes) this.releaseAlarm(state, route, 'the plan is no longer published', effects);
      this.plans.delete(planId);
    }
    this.byJob.clear();
    for (const plan of plans) {
      const old = this.plans.get(plan.planId);
      const state: PlanState = { plan, stops: new Map(), routes: old?.routes ?? new Map(), dirty: old?.dirty ?? false, completed: old?.completed ?? false };
      for (const route of plan.routes) {
        for (const stop of route.stops) {
          const before = old?.stops.get(stop.stopId);
          const stored: StopState = { progress: stop.progress, actualArriveAt: ms(stop.actualArriveAt) };
          state.stops.set(stop.stopId, before && RANK[before.progress] >= RANK[stored.progress] ? { progress: before.progress, actualArriveAt: before.actualArriveAt ?? stored.actualArriveAt } : stored);
          if (stop.jobId) this.byJob.set(stop.jobId, { planId: plan.planId, stopId: stop.stopId });
        }
        // A truck withdrawn (breakdown) keeps no off-route alarm.
        if (route.progress?.withdrawn) this.releaseAlarm(state, route, 'the truck was withdrawn from the plan', effects);
      }
      this.plans.set(plan.planId, state);
      this.checkCompleted(state, effects);
    }
    return effects;
  }

  onJob(job: Job): TrackerEffect[] {
    const effects: TrackerEffect[] = [];
    const ref = this.byJob.get(job.jobId);
    const state = ref && this.plans.get(ref.planId);
    const progress = JOB_PROGRESS[job.status];
    if (!ref || !state || !progress) return effects;
    const route = state.plan.routes.find((r) => r.stops.some((s) => s.stopId === ref.stopId))!;
    const index = route.stops.findIndex((s) => s.stopId === ref.stopId);
    const at = Date.parse(job.updatedAt);
    // An arrival not seen by position: on site now, or done without an on-site step (approximate).
    const arrivedAt = progress === 'on_site' || progress === 'done' ? (Number.isFinite(at) ? at : this.clock.now()) : null;
    if (this.advance(state, route, index, progress, arrivedAt)) state.dirty = true;
    this.checkCompleted(state, effects);
    return effects;
  }

  onTruck(position: TruckPositionEvent): TrackerEffect[] {
    const effects: TrackerEffect[] = [];
    const vehicleId = position.vehicleId ?? this.vehicleOfDevice(position.deviceId);
    if (!vehicleId) return effects;
    for (const state of this.plans.values()) {
      const route = state.plan.routes.find((r) => r.vehicleId === vehicleId);
      if (!route || route.progress?.withdrawn) continue;
      const rs = this.routeState(state, vehicleId);
      if (rs.lastFix && position.ts < rs.lastFix.ts) continue; // late, out-of-order fix
      rs.lastFix = { lat: position.lat, lon: position.lon, ts: position.ts };
      rs.deviceId = position.deviceId;
      state.dirty = true;
      this.arrivals(state, route, position);
      this.offRoute(state, route, rs, position, effects);
      this.checkCompleted(state, effects);
    }
    return effects;
  }

  /** Progress of every plan that changed since the last call (the host calls it at most every EMIT_EVERY_MS). */
  flush(): PlanProgressSnapshot[] {
    const out: PlanProgressSnapshot[] = [];
    for (const state of this.plans.values()) {
      if (!state.dirty) continue;
      state.dirty = false;
      out.push(this.snapshotOf(state));
    }
    return out;
  }

  /** A plan's current progress (ETAs as of the clock's now). */
  snapshot(planId: string): PlanProgressSnapshot | null {
    const state = this.plans.get(planId);
    return state ? this.snapshotOf(state) : null;
  }

  private routeState(state: PlanState, vehicleId: string): RouteState {
    let rs = state.routes.get(vehicleId);
    if (!rs) {
      rs = { lastFix: null, deviceId: null, offM: null, offSince: null, alarmed: false };
      state.routes.set(vehicleId, rs);
    }
    return rs;
  }

  /** Raise stop `index` to `progress` (monotonic); stops before it that have no job (start, unload) are then done. */
  private advance(state: PlanState, route: PlanRoute, index: number, progress: StopProgress, arrivedAt: number | null): boolean {
    const stop = route.stops[index]!;
    const s = state.stops.get(stop.stopId)!;
    let changed = false;
    if (progress === 'skipped' ? !FINISHED(s.progress) : RANK[progress] > RANK[s.progress]) {
      s.progress = progress;
      changed = true;
    }
    if (arrivedAt !== null && s.actualArriveAt === null && s.progress !== 'skipped') {
      s.actualArriveAt = arrivedAt;
      changed = true;
    }
    if (RANK[s.progress] >= RANK.on_site) {
      for (let k = 0; k < index; k++) {
        const before = route.stops[k]!;
        const b = state.stops.get(before.stopId)!;
        if (before.kind !== 'collect' && !FINISHED(b.progress)) {
          b.progress = 'done';
          changed = true;
        }
      }
    }
    return changed;
  }

  private nextIndex(state: PlanState, route: PlanRoute): number {
    const i = route.stops.findIndex((s) => !FINISHED(state.stops.get(s.stopId)!.progress));
    return i < 0 ? route.stops.length : i;
  }

  private arrivals(state: PlanState, route: PlanRoute, fix: TruckPositionEvent): void {
    const next = this.nextIndex(state, route);
    for (let k = next; k < Math.min(route.stops.length, next + this.o.LOOKAHEAD_STOPS); k++) {
      const stop = route.stops[k]!;
      const s = state.stops.get(stop.stopId)!;
      const d = haversineM(fix, stop);
      if (stop.kind === 'start') {
        // Leaving the depot is the start stop done.
        if (d > this.o.ARRIVE_M && !FINISHED(s.progress)) s.progress = 'done';
        continue;
      }
      if (stop.kind === 'unload' && s.progress === 'on_site' && d > this.o.LEAVE_M) {
        s.progress = 'done';
        continue;
      }
      // The end depot is usually the start depot: it counts only once everything before it is finished.
      if (stop.kind === 'end' && k !== next) continue;
      if (d <= this.o.ARRIVE_M && s.actualArriveAt === null && !FINISHED(s.progress)) {
        this.advance(state, route, k, stop.kind === 'end' ? 'done' : 'on_site', fix.ts);
        break;
      }
    }
  }

  private offRoute(state: PlanState, route: PlanRoute, rs: RouteState, fix: TruckPositionEvent, effects: TrackerEffect[]): void {
    if (route.path.length < 2) return;
    const d = distanceToPathM(fix, route.path);
    rs.offM = d;
    if (d > this.o.OFF_ROUTE_M) {
      rs.offSince ??= fix.ts;
      if (!rs.alarmed && fix.ts - rs.offSince >= this.o.OFF_ROUTE_GRACE_MS) {
        rs.alarmed = true;
        effects.push({
          type: 'off-route',
          plan: state.plan,
          deviceId: fix.deviceId,
          event: { planId: state.plan.planId, vehicleId: route.vehicleId, offRouteM: Math.round(d), lat: fix.lat, lon: fix.lon, at: iso(fix.ts) },
        });
      }
      return;
    }
    rs.offSince = null;
    if (rs.alarmed) {
      rs.alarmed = false;
      effects.push({ type: 'back-on-route', plan: state.plan, vehicleId: route.vehicleId, deviceId: fix.deviceId, at: fix.ts, reason: `back on the planned route (${Math.round(d)} m from it)` });
    }
  }

  private releaseAlarm(state: PlanState, route: PlanRoute, reason: string, effects: TrackerEffect[]): void {
    const rs = state.routes.get(route.vehicleId);
    if (!rs?.alarmed || !rs.deviceId) return;
    rs.alarmed = false;
    rs.offSince = null;
    effects.push({ type: 'back-on-route', plan: state.plan, vehicleId: route.vehicleId, deviceId: rs.deviceId, at: this.clock.now(), reason });
  }

  private checkCompleted(state: PlanState, effects: TrackerEffect[]): void {
    if (state.completed) return;
    const collect = state.plan.routes.flatMap((r) => r.stops.filter((s) => s.kind === 'collect'));
    if (collect.length === 0 || !collect.every((s) => FINISHED(state.stops.get(s.stopId)!.progress))) return;
    state.completed = true;
    state.dirty = true;
    for (const route of state.plan.routes) this.releaseAlarm(state, route, 'the plan is completed', effects);
    effects.push({ type: 'completed', planId: state.plan.planId });
  }

  private snapshotOf(state: PlanState): PlanProgressSnapshot {
    const now = this.clock.now();
    const routes = state.plan.routes.map((route) => this.routeUpdate(state, route, now));
    return { plan: state.plan, routes };
  }

  private routeUpdate(state: PlanState, route: PlanRoute, now: number): RouteProgressUpdate {
    const rs = state.routes.get(route.vehicleId);
    const withdrawn = route.progress?.withdrawn === true;
    const next = this.nextIndex(state, route);
    let delayS = 0;
    let doneStops = 0;
    route.stops.forEach((stop) => {
      const s = state.stops.get(stop.stopId)!;
      if (stop.kind === 'collect' && s.progress === 'done') doneStops++;
      if (s.actualArriveAt !== null) delayS = Math.round((s.actualArriveAt - Date.parse(stop.arriveAt)) / 1000);
    });
    const eta = withdrawn ? new Map<number, number>() : this.etas(state, route, next, rs, now);
    return {
      vehicleId: route.vehicleId,
      progress: {
        nextStopIndex: next,
        doneStops,
        delayS,
        offRoute: rs?.offM != null && rs.offM > this.o.OFF_ROUTE_M,
        offRouteM: rs?.offM != null ? Math.round(rs.offM) : null,
        lastFixAt: rs?.lastFix ? iso(rs.lastFix.ts) : null,
        withdrawn,
      },
      stops: route.stops.map((stop, k) => {
        const s = state.stops.get(stop.stopId)!;
        const t = eta.get(k);
        return { stopId: stop.stopId, progress: s.progress, actualArriveAt: s.actualArriveAt === null ? null : iso(s.actualArriveAt), etaAt: t === undefined ? null : iso(t) };
      }),
    };
  }

  /** ETA per stop index from `next` on, for stops not reached yet. */
  private etas(state: PlanState, route: PlanRoute, next: number, rs: RouteState | undefined, now: number): Map<number, number> {
    const out = new Map<number, number>();
    if (next >= route.stops.length) return out;
    const first = route.stops[next]!;
    const firstState = state.stops.get(first.stopId)!;
    let leave: number; // when the truck leaves stop k−1 (or its position), then planned legs
    let k = next;
    if (first.kind === 'start') {
      // Still at the depot: it leaves at the planned time (or now, if that has passed).
      leave = Math.max(now, Date.parse(first.departAt));
      k = next + 1;
    } else if (firstState.actualArriveAt !== null) {
      // On site at the next stop: it leaves after its service time, counted from the arrival.
      leave = Math.max(now, firstState.actualArriveAt + serviceMs(first));
      k = next + 1;
    } else if (rs?.lastFix) {
      const travelS = secondsAt(estimateDistanceM(rs.lastFix, first, TRAVEL_DEFAULTS.DETOUR_FACTOR), TRAVEL_DEFAULTS.AVERAGE_KMH);
      const arrive = now + travelS * 1000;
      out.set(k, arrive);
      leave = startOfService(first, arrive) + serviceMs(first);
      k = next + 1;
    } else {
      // No fix yet: the plan's times, not earlier than now.
      const arrive = Math.max(now, Date.parse(first.arriveAt));
      out.set(k, arrive);
      leave = startOfService(first, arrive) + serviceMs(first);
      k = next + 1;
    }
    for (; k < route.stops.length; k++) {
      const stop = route.stops[k]!;
      const prev = route.stops[k - 1]!;
      if (FINISHED(state.stops.get(stop.stopId)!.progress)) continue;
      const arrive = leave + Math.max(0, Date.parse(stop.arriveAt) - Date.parse(prev.departAt));
      out.set(k, arrive);
      leave = startOfService(stop, arrive) + serviceMs(stop);
    }
    return out;
  }
}

function serviceMs(stop: PlanStop): number {
  return Math.max(0, Date.parse(stop.departAt) - Date.parse(stop.serviceAt));
}

/** Service starts on arrival, or when the stop's window opens if that is later. */
function startOfService(stop: PlanStop, arrive: number): number {
  const opens = stop.windowFrom === null ? NaN : Date.parse(stop.windowFrom);
  return Number.isFinite(opens) ? Math.max(arrive, opens) : arrive;
}
