import { z } from 'zod';
import type { DeviceKind } from '../topics.js';

/**
 * Collection route plans: the dispatcher asks for a zone's plan for some trucks, edits it (lock a
 * stop to its truck, move a stop), publishes it (the trucks' jobs are created in route order) and
 * watches progress against it. Times are ISO-8601 strings; distances metres; loads kg.
 */

export const PLAN_STATUSES = ['draft', 'published', 'completed', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** How travel times were obtained. */
export const TRAVEL_SOURCES = ['street-graph', 'straight-line', 'osrm'] as const;
export type TravelSource = (typeof TRAVEL_SOURCES)[number];

const id = z.string().min(1).max(64);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

/** `POST /api/routing/plans`: plan a zone's round for these vehicles. */
export const createPlanSchema = z.object({
  zone: id,
  vehicleIds: z.array(id).min(1, 'name at least one vehicle').max(100),
  /** city date of the round; default: today (server clock, city time) */
  date: isoDate.optional(),
  /**
   * A bin is collected when its predicted fill at the planned service time is at least this; one
   * predicted to reach it before the next round (`nextRoundAt`) is collected too. Others can wait.
   */
  collectAtPct: z.number().min(1).max(100).default(80),
  /** when the next round starts (ISO); default: the same shift start on the next day */
  nextRoundAt: z.iso.datetime({ offset: true }).optional(),
  /** collection hours per stop kind, e.g. a pedestrian street's bins only 05:00–07:00 (city time) */
  timeWindows: z
    .array(z.object({ deviceIds: z.array(id).min(1).max(10_000), from: hhmm, to: hhmm }))
    .max(100)
    .default([]),
  /** solver budget, seconds */
  timeLimitS: z.number().min(0.5).max(120).default(5),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /**
   * true: finish the round early using all chosen trucks (the work is shared out); false: fewest
   * trucks / least driving (one truck does it all when it can)
   */
  balance: z.boolean().default(true),
});
export type CreatePlanRequest = z.input<typeof createPlanSchema>;

export const PLAN_STOP_KINDS = ['start', 'collect', 'unload', 'end'] as const;
export type PlanStopKind = (typeof PLAN_STOP_KINDS)[number];

/** A stop's progress once the plan is published. */
export const STOP_PROGRESS = ['planned', 'en_route', 'on_site', 'done', 'skipped'] as const;
export type StopProgress = (typeof STOP_PROGRESS)[number];

export interface PlanStop {
  /** stable within the plan across edits and re-plans */
  stopId: string;
  kind: PlanStopKind;
  /** bin (or tank) served; null for start/unload/end */
  deviceId: string | null;
  deviceKind: DeviceKind | null;
  /** unload site / depot id for start, unload and end */
  siteId: string | null;
  name: string | null;
  lat: number;
  lon: number;
  arriveAt: string;
  /** service start (after any wait for the window) */
  serviceAt: string;
  departAt: string;
  windowFrom: string | null;
  windowTo: string | null;
  /** kg picked up here (negative at an unload) */
  demandKg: number;
  /** kg on board when leaving */
  loadAfterKg: number;
  /** predicted fill at `serviceAt`, percent (collect stops) */
  predictedPct: number | null;
  /** locked to this route: the solver will not move it to another truck */
  locked: boolean;
  /** the job created for this stop at publish */
  jobId: string | null;
  progress: StopProgress;
  actualArriveAt: string | null;
  /** live ETA once published and not yet reached */
  etaAt: string | null;
}

export interface PlanRoute {
  vehicleId: string;
  vehicleName: string;
  capacityKg: number;
  stops: PlanStop[];
  distanceM: number;
  durationS: number;
  /** [lon, lat] polyline along the streets driven */
  path: [number, number][];
  /** published routes: live tracking */
  progress: RouteProgress | null;
}

export interface RouteProgress {
  /** index in `stops` of the next stop not yet done */
  nextStopIndex: number;
  doneStops: number;
  /** actual minus planned at the last stop reached, seconds (positive = late) */
  delayS: number;
  /** true when the truck's last fix is farther than the off-route threshold from its planned path */
  offRoute: boolean;
  /** distance from the planned path at the last fix, metres */
  offRouteM: number | null;
  lastFixAt: string | null;
  /** vehicle broke down / withdrawn: its remaining stops went to the others */
  withdrawn: boolean;
}

export const LEFT_OUT_REASONS = [
  'can-wait', // predicted below the threshold until the next round
  'no-forecast', // not enough readings to predict; below the threshold now
  'no-capacity', // needed, but the trucks' capacity/shift cannot take it
  'time-window', // its collection hours cannot be met
  'unreachable', // no street path
] as const;
export type LeftOutReason = (typeof LEFT_OUT_REASONS)[number];

export interface LeftOutStop {
  deviceId: string;
  lat: number;
  lon: number;
  /** fill now and predicted at the next round, percent */
  fillPct: number | null;
  predictedPct: number | null;
  reason: LeftOutReason;
  /** human-readable, e.g. "predicted 54 % at 2026-11-29 06:00" */
  detail: string;
}

export interface PlanSummary {
  routes: number;
  stops: number;
  distanceM: number;
  durationS: number;
  collectedKg: number;
  leftOut: number;
  /** no capacity, window or shift violated */
  feasible: boolean;
  travel: TravelSource;
  solveMs: number;
  iterations: number;
}

export interface RoutePlan {
  planId: string;
  zone: string;
  date: string;
  status: PlanStatus;
  /** +1 on every edit and re-plan; edits name the version they were made on (409 if stale) */
  version: number;
  createdAt: string;
  createdBy: string;
  publishedAt: string | null;
  publishedBy: string | null;
  params: {
    vehicleIds: string[];
    collectAtPct: number;
    nextRoundAt: string;
    timeLimitS: number;
    seed: number;
    /** createPlanSchema.balance (plans stored before it existed read as true) */
    balance: boolean;
  };
  summary: PlanSummary;
  routes: PlanRoute[];
  leftOut: LeftOutStop[];
  /** newest first: created, edited, optimised, published, re-planned (with why) */
  history: { at: string; by: string; action: string; note?: string }[];
}

/** `GET /api/routing/plans?zone&date&status` (no routes' stops: a list) */
export const listPlansQuerySchema = z.object({
  zone: id.optional(),
  date: isoDate.optional(),
  status: z.enum(PLAN_STATUSES).optional(),
});
export type ListPlansQuery = z.output<typeof listPlansQuerySchema>;
export type RoutePlanListItem = Omit<RoutePlan, 'routes' | 'leftOut' | 'history'>;

/** `PATCH /api/routing/plans/:id/stops/:stopId`: lock or unlock a stop on its route. */
export const lockStopSchema = z.object({ version: z.number().int().min(1), locked: z.boolean() });
export type LockStopRequest = z.infer<typeof lockStopSchema>;

/** `POST /api/routing/plans/:id/moves`: move a stop to a vehicle's route at a position (it becomes locked). */
export const moveStopSchema = z.object({
  version: z.number().int().min(1),
  stopId: id,
  toVehicleId: id,
  /** index among that route's collect stops, 0 = first; beyond the end = last */
  toIndex: z.number().int().min(0),
});
export type MoveStopRequest = z.infer<typeof moveStopSchema>;

/** `POST /api/routing/plans/:id/optimize`: re-solve what is not locked (draft only). */
export const optimizePlanSchema = z.object({
  version: z.number().int().min(1),
  timeLimitS: z.number().min(0.5).max(120).optional(),
});

/** `POST /api/routing/plans/:id/publish`: creates/assigns each collect stop's job, in route order. */
export const publishPlanSchema = z.object({ version: z.number().int().min(1) });

/**
 * `POST /api/routing/plans/:id/breakdown`: a truck is out for the rest of the shift. Its stops not
 * yet under way are re-planned onto the others; stops under way elsewhere are not reshuffled.
 */
export const vehicleBreakdownSchema = z.object({ vehicleId: id, note: z.string().min(1, 'say what happened').max(2000) });
export type VehicleBreakdownRequest = z.infer<typeof vehicleBreakdownSchema>;

/** Plan changes on the `/live` socket (sent to operators subscribed to the plan's zone). */
export interface PlanChangedEvent {
  plan: RoutePlan;
  /** what happened */
  change: 'created' | 'edited' | 'optimised' | 'published' | 'replanned' | 'completed' | 'cancelled';
}

/** Live progress of a published plan, at most once per second per plan. */
export interface PlanProgressEvent {
  planId: string;
  version: number;
  routes: { vehicleId: string; progress: RouteProgress; stops: { stopId: string; progress: StopProgress; actualArriveAt: string | null; etaAt: string | null }[] }[];
}

/** A truck left its planned path (also raised as an alarm on the truck). */
export interface OffRouteEvent {
  planId: string;
  vehicleId: string;
  offRouteM: number;
  lat: number;
  lon: number;
  at: string;
}
