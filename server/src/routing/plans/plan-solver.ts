import { Inject, Injectable } from '@nestjs/common';
import type { LeftOutStop, PlanRoute, PlanSummary } from '@sanitation/contracts';
import type { VrpOptions, VrpProblem, VrpSolution } from '../solver/model.js';
import { RoutingSolverError, RoutingSolverErrorCode } from '../solver/solver.exception.js';
import { RoutingException, RoutingExceptionCode } from '../routing.exception.js';
import { TRAVEL_TIME_PROVIDER, type TravelTimeProvider } from '../travel/travel-time.provider.js';
import { ROUTING_DEFAULTS } from '../routing.defaults.js';
import { demandsAt, type BuiltProblem } from './problem-builder.js';
import { readSolution } from './solution-reader.js';

/** The solver entry point (worker thread in the app: the server keeps serving while it plans). */
export type SolveFn = (problem: VrpProblem, options: VrpOptions) => Promise<VrpSolution>;
export const VRP_SOLVE = Symbol('VrpSolve');

export interface SolvedPlan {
  routes: PlanRoute[];
  leftOut: LeftOutStop[];
  summary: PlanSummary;
}

/**
 * The first pass's collecting time (each route's start → done at its last stop, summed) and the
 * longest tail after the last stop (unload, drive home). Only the collecting shares out over
 * trucks: every truck still drives home, so a fair end = its share of the collecting + that tail.
 */
function collectionWork(problem: VrpProblem, solution: VrpSolution): { work: number; overhead: number } {
  let work = 0;
  let overhead = 0;
  for (const r of solution.routes) {
    const k = r.visits.map((v) => v.type).lastIndexOf('stop');
    if (k < 0) continue;
    const visit = r.visits[k] as { type: 'stop'; stop: number };
    const done = r.timing.serviceStart[k]! + problem.stops[visit.stop]!.serviceS;
    work += done - r.timing.departStart;
    overhead = Math.max(overhead, r.timing.arriveEnd - done);
  }
  return { work, overhead };
}

/** Service start per stop (seconds from origin), NaN for unserved stops. */
function serviceTimes(problem: VrpProblem, solution: VrpSolution): number[] {
  const times = new Array<number>(problem.stops.length).fill(Number.NaN);
  for (const r of solution.routes) r.visits.forEach((v, k) => v.type === 'stop' && (times[v.stop] = r.timing.serviceStart[k]!));
  return times;
}

/**
 * Solves a built problem in two passes: the first with demands at an estimated time, then — when
 * the demands at the planned service times differ enough — a short second solve with those, so
 * the loads the plan shows are the ones the solver checked against capacity.
 */
@Injectable()
export class PlanSolver {
  constructor(
    @Inject(VRP_SOLVE) private readonly solveWith: SolveFn,
    @Inject(TRAVEL_TIME_PROVIDER) private readonly travel: TravelTimeProvider,
  ) {}

  /** The solver's errors as the module's: worker trouble → 503, a refused problem → 500. */
  private async solveFn(problem: VrpProblem, options: VrpOptions): Promise<VrpSolution> {
    try {
      return await this.solveWith(problem, options);
    } catch (err) {
      if (!(err instanceof RoutingSolverError)) throw err;
      const unavailable = err.code === RoutingSolverErrorCode.WORKER_FAILED;
      throw new RoutingException(unavailable ? RoutingExceptionCode.SOLVER_UNAVAILABLE : RoutingExceptionCode.SOLVER_FAILED, `route solver: ${err.message}`);
    }
  }

  get source(): TravelTimeProvider['source'] {
    return this.travel.source;
  }

  matrix: TravelTimeProvider['matrix'] = (points) => this.travel.matrix(points);

  /**
   * `balance`: share the round out over the trucks so it ends early. The first pass runs without
   * (it tells how much work the round is); then each truck gets a soft end at its start + a fair
   * share — the first pass's collecting time ÷ usable trucks × BALANCE_SLACK, plus the tail every
   * truck has after its last bin (unload, home) — and every second it is back later costs PER_LATE,
   * and a second pass plans with that. (An estimate before any solve would miss unload trips and the
   * real driving; the first pass knows both.)
   */
  async solve(built: BuiltProblem, seed: number, timeLimitMs: number, refine = true, balance = false): Promise<SolvedPlan> {
    const started = performance.now();
    const d = ROUTING_DEFAULTS;
    const p = built.problem;
    // a small zone converges in well under the budget: stop when nothing improves for a while
    const noImp = Math.max(d.NO_IMPROVEMENT_MIN, d.NO_IMPROVEMENT_PER_STOP * p.stops.length);
    const usable = p.vehicles.filter((v) => v.shiftEnd > v.shiftStart).length;
    const balancing = balance && usable >= 2 && p.stops.length > 0;
    const firstShare = balancing ? d.BALANCE_FIRST_PASS_SHARE : refine ? d.FIRST_PASS_SHARE : 1;
    const first = await this.solveFn(p, { seed, timeLimitMs: timeLimitMs * firstShare, maxIterationsWithoutImprovement: noImp });
    let solution = first;
    let iterations = first.stats.iterations;
    let again = false;
    if (refine && p.stops.length) {
      const before = p.stops.map((s) => s.demand);
      const change = demandsAt(built, serviceTimes(p, first));
      if (change >= d.SKIP_REFINE_BELOW) again = true;
      else p.stops.forEach((s, i) => (s.demand = before[i]!));
    }
    if (balancing) {
      const { work, overhead } = collectionWork(p, first);
      for (const v of p.vehicles) v.softEndS = v.shiftStart + (work / usable) * d.BALANCE_SLACK + overhead;
      p.objective.perLateS = d.PER_LATE;
      again = true;
    }
    if (again) {
      const limit = balancing ? timeLimitMs * (1 - firstShare) : Math.min(d.REFINE_LIMIT_MS, timeLimitMs * (1 - d.FIRST_PASS_SHARE));
      solution = await this.solveFn(p, { seed, timeLimitMs: Math.max(200, limit), maxIterationsWithoutImprovement: noImp });
      iterations += solution.stats.iterations;
    }
    const { routes, leftOut } = readSolution(built, solution);
    await this.drawPaths(routes);
    return { routes, leftOut: [...leftOut, ...built.leftOut], summary: summarize(routes, [...leftOut, ...built.leftOut], solution.feasible, this.travel.source, performance.now() - started, iterations) };
  }

  /** Each route's path: the provider's driven paths between consecutive stops, joined. */
  async drawPaths(routes: PlanRoute[]): Promise<void> {
    for (const route of routes) {
      const path: [number, number][] = [];
      for (let i = 1; i < route.stops.length; i++) {
        const a = route.stops[i - 1]!;
        const b = route.stops[i]!;
        if (a.lat === b.lat && a.lon === b.lon) continue;
        const leg = await this.travel.path({ lat: a.lat, lon: a.lon }, { lat: b.lat, lon: b.lon });
        path.push(...(path.length ? leg.slice(1) : leg));
      }
      route.path = path;
    }
  }
}

export function summarize(routes: PlanRoute[], leftOut: LeftOutStop[], feasible: boolean, travel: PlanSummary['travel'], solveMs: number, iterations: number): PlanSummary {
  const collects = routes.flatMap((r) => r.stops.filter((s) => s.kind === 'collect'));
  return {
    routes: routes.filter((r) => r.stops.some((s) => s.kind === 'collect')).length,
    stops: collects.length,
    distanceM: Math.round(routes.reduce((a, r) => a + r.distanceM, 0)),
    durationS: Math.round(routes.reduce((a, r) => a + r.durationS, 0)),
    collectedKg: Math.round(collects.reduce((a, s) => a + s.demandKg, 0) * 10) / 10,
    leftOut: leftOut.length,
    feasible,
    travel,
    solveMs: Math.round(solveMs),
    iterations,
  };
}
