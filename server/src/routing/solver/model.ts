/**
 * The vehicle-routing problem the solver takes, and the solution it gives back. Plain data (no
 * classes, no Nest): it crosses a worker-thread boundary by structured clone, and the CLI builds it
 * from a TSPLIB file. Everything is indices into arrays; ids are only carried for the caller.
 *
 * Units: time in seconds from an origin the caller picks (e.g. the plan's start), distance in metres
 * (or the instance's own unit for TSPLIB), load in the caller's unit (kg for trucks).
 */

/** Travel between locations: row-major n×n matrices, `m[from * n + to]`. Need not be symmetric. */
export interface VrpMatrices {
  /** number of locations */
  size: number;
  distance: Float64Array;
  /** seconds; for a pure CVRP pass the distance matrix again (or zeros) */
  duration: Float64Array;
}

export interface VrpVehicle {
  id: string;
  /** location index where the shift starts (depot, or the truck's position when re-planning) */
  start: number;
  /** location index where the shift ends (depot) */
  end: number;
  capacity: number;
  /** earliest departure and latest return, seconds */
  shiftStart: number;
  shiftEnd: number;
  /** load already on board at `start` (re-planning a truck mid-shift) */
  initialLoad?: number;
  /**
   * Unload sites (location indices) this vehicle may visit to empty itself and go on: multiple trips
   * per shift. Empty/absent → a single trip.
   */
  reloadSites?: number[];
  /** seconds spent at an unload site */
  reloadServiceS?: number;
  /** true → if it carries any load it must unload at a reload site before `end` (a truck does not go home full) */
  unloadBeforeEnd?: boolean;
  /**
   * Stops (indices into `stops`) this vehicle serves first, in this order, before anything the
   * solver decides: stops already under way when re-planning. The solver never moves them.
   */
  fixedPrefix?: number[];
  /** cost of using this vehicle at all (0 = free); lets the solver prefer fewer trucks */
  fixedCost?: number;
  /**
   * Soft route end, seconds (same origin as the shift): arriving at `end` later than this costs
   * `objective.perLateS` per second (the route stays feasible up to `shiftEnd`). Lets the caller
   * spread work over vehicles so the round finishes early. Absent → no soft end.
   */
  softEndS?: number;
}

export interface VrpStop {
  id: string;
  location: number;
  demand: number;
  serviceS: number;
  /** time window for the start of service, seconds; absent → [−∞, +∞] */
  twStart?: number;
  twEnd?: number;
  /** locked: only this vehicle (index into `vehicles`) may serve it */
  vehicle?: number;
  /** vehicles allowed at all (indices); absent → every vehicle */
  allowedVehicles?: number[];
  /**
   * false → optional: served only if worth it; leaving it out costs `prize` (same unit as the
   * objective). Required stops that cannot be served feasibly come back in `unassigned`.
   */
  required: boolean;
  prize?: number;
}

export interface VrpObjective {
  /** cost per distance unit (1 for TSPLIB) */
  perDistance: number;
  /** cost per second of route duration (driving + service + waiting) */
  perDuration: number;
  /**
   * cost per second a route arrives at its end after its vehicle's `softEndS`; 0/absent → soft
   * ends off. Route cost = perDistance·distance + perDuration·duration
   * + perLateS·max(0, arriveEnd − softEndS) + fixedCost.
   */
  perLateS?: number;
}

export interface VrpProblem {
  matrices: VrpMatrices;
  vehicles: VrpVehicle[];
  stops: VrpStop[];
  objective: VrpObjective;
}

export interface VrpOptions {
  /** same seed + same `maxIterations` (no time limit hit) → same solution */
  seed: number;
  /** wall-clock limit, ms */
  timeLimitMs: number;
  /** stop after this many iterations even if time remains (determinism in tests) */
  maxIterations?: number;
  /** stop after this many iterations without improvement */
  maxIterationsWithoutImprovement?: number;
}

export type VrpVisit = { type: 'stop'; stop: number } | { type: 'reload'; location: number };

export interface VrpRouteTiming {
  /** arrival at each visit, seconds (same order as `visits`) */
  arrival: number[];
  /** service start at each visit (≥ arrival: waits for a time window) */
  serviceStart: number[];
  /** load on board after each visit */
  loadAfter: number[];
  departStart: number;
  arriveEnd: number;
}

export interface VrpRoute {
  vehicle: number;
  visits: VrpVisit[];
  distance: number;
  duration: number;
  timing: VrpRouteTiming;
}

export type VrpUnassignedReason = 'capacity' | 'time-window' | 'shift' | 'no-vehicle' | 'not-worth-it';

export interface VrpSolution {
  /** one per vehicle that is used (empty vehicles omitted) */
  routes: VrpRoute[];
  unassigned: { stop: number; reason: VrpUnassignedReason }[];
  /**
   * objective value: perDistance·distance + perDuration·duration + perLateS·(lateness after each
   * vehicle's softEndS) + fixed costs + prizes of left-out optional stops
   */
  cost: number;
  distance: number;
  /** true when every route respects capacity, time windows and shifts */
  feasible: boolean;
  stats: { iterations: number; elapsedMs: number; bestAtMs: number; seed: number };
}
