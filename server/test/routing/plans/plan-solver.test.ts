import type { PlanRoute, PlanStop } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { cityTime } from '../../../src/routing/plans/city-time.js';
import { PlanSolver } from '../../../src/routing/plans/plan-solver.js';
import { buildProblem, type BinInput } from '../../../src/routing/plans/problem-builder.js';
import { retimeRoute } from '../../../src/routing/plans/route-timing.js';
import { ROUTING_DEFAULTS } from '../../../src/routing/routing.defaults.js';
import type { VrpOptions, VrpProblem, VrpSolution } from '../../../src/routing/solver/model.js';
import { solveVrp } from '../../../src/routing/solver/solve.js';
import { RoutingSolverError, RoutingSolverErrorCode } from '../../../src/routing/solver/solver.exception.js';
import { RoutingException } from '../../../src/routing/routing.exception.js';
import { StraightLineProvider } from '../../../src/routing/travel/straight-line.provider.js';

const city = cityTime('Asia/Shanghai');
const NOW = city.at('2026-11-28', '05:00');
const travel = new StraightLineProvider();
const depot = { id: 'dep', name: 'Depot', lat: 30.25, lon: 120.16 };
const bin = (id: string, north: number, fillPct: number, ratePctPerH: number): BinInput => ({
  deviceId: id, kind: 'bin', name: id, lat: 30.25 + north, lon: 120.16, capacityL: 1000, fillPct, ratePctPerH, fittedAt: NOW,
});

async function built(bins: BinInput[]) {
  return buildProblem(
    {
      now: NOW, city, defaults: ROUTING_DEFAULTS, bins,
      vehicles: [{ vehicleId: 't1', name: 'T1', deviceId: 'g1', capacityKg: 2000, shift: { start: '06:00', end: '14:00' }, position: null, loadKg: null, depot, unloadSites: [] }],
      params: { date: '2026-11-28', collectAtPct: 50, timeWindows: [] },
    },
    (p) => travel.matrix(p),
  );
}

describe('plan solver (two passes) and hand re-timing', () => {
  it('re-solves with the demands at the first plan’s service times when they differ, and reports those', async () => {
    const calls: number[][] = [];
    const solve = async (p: VrpProblem, o: VrpOptions): Promise<VrpSolution> => {
      calls.push(p.stops.map((s) => s.demand));
      return solveVrp(p, { ...o, maxIterations: 200 });
    };
    const b = await built([bin('fast', 0.005, 60, 4), bin('steady', 0.01, 70, 0)]);
    const solver = new PlanSolver(solve, travel);
    const plan = await solver.solve(b, 1, 1000);
    expect(calls).toHaveLength(2);
    // First pass at 10:00 (mid-shift): 60 + 4 × 5 h = 80 % → 160 kg; second at ~06:0x: about 64 %.
    expect(calls[0]![0]).toBeCloseTo(160, 6);
    expect(calls[1]![0]).toBeLessThan(135);
    expect(calls[1]![1]).toBeCloseTo(140, 6);
    const stops = plan.routes[0]!.stops.filter((s) => s.kind === 'collect');
    expect(stops.map((s) => s.demandKg).sort()).toEqual([...calls[1]!].sort());
    expect(plan.summary).toMatchObject({ stops: 2, routes: 1, feasible: true, leftOut: 0, travel: 'straight-line' });
    expect(plan.routes[0]!.path.length).toBeGreaterThanOrEqual(3);
  });

  it('skips the second solve when demands barely change (flat bins)', async () => {
    let n = 0;
    const solve = async (p: VrpProblem, o: VrpOptions) => (n++, solveVrp(p, { ...o, maxIterations: 50 }));
    await new PlanSolver(solve, travel).solve(await built([bin('a', 0.005, 70, 0), bin('b', 0.01, 80, 0)]), 1, 1000);
    expect(n).toBe(1);
  });

  it('answers 503 when the solver worker cannot run, naming why', async () => {
    const solve = async (): Promise<VrpSolution> => {
      throw new RoutingSolverError(RoutingSolverErrorCode.WORKER_FAILED, 'solver worker script not found');
    };
    const err = await new PlanSolver(solve, travel).solve(await built([bin('a', 0.005, 70, 0)]), 1, 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RoutingException);
    expect((err as RoutingException).getStatus()).toBe(503);
    expect((err as RoutingException).getResponse()).toMatchObject({ code: 'SOLVER_UNAVAILABLE', message: 'route solver: solver worker script not found' });
  });

  it('re-times a hand-ordered route: waits for a window, flags capacity over the limit', async () => {
    const stop = (over: Partial<PlanStop>): PlanStop => ({
      stopId: 'x', kind: 'collect', deviceId: 'b', deviceKind: 'bin', siteId: null, name: null, lat: 30.25, lon: 120.16, arriveAt: '', serviceAt: '', departAt: '',
      windowFrom: null, windowTo: null, demandKg: 0, loadAfterKg: 0, predictedPct: null, locked: false, jobId: null, progress: 'planned', actualArriveAt: null, etaAt: null, ...over,
    });
    const t0 = Date.UTC(2026, 10, 27, 22, 0);
    const route: PlanRoute = {
      vehicleId: 't1', vehicleName: 'T1', capacityKg: 300, distanceM: 0, durationS: 0, path: [], progress: null,
      stops: [
        stop({ stopId: 's', kind: 'start', deviceId: null, departAt: new Date(t0).toISOString(), loadAfterKg: 0 }),
        stop({ stopId: 'c1', lat: 30.26, demandKg: 200, windowFrom: new Date(t0 + 3_600_000).toISOString() }),
        stop({ stopId: 'c2', lat: 30.27, demandKg: 150 }),
        stop({ stopId: 'e', kind: 'end', deviceId: null }),
      ],
    };
    const matrix = await travel.matrix(route.stops.map((s) => ({ lat: s.lat, lon: s.lon })));
    expect(retimeRoute(route, matrix, ROUTING_DEFAULTS)).toBe(false); // 350 kg > 300 kg
    const [, c1, c2] = route.stops;
    expect(Date.parse(c1!.serviceAt)).toBe(t0 + 3_600_000);
    expect(Date.parse(c1!.arriveAt)).toBeLessThan(t0 + 3_600_000);
    expect(Date.parse(c1!.departAt)).toBe(t0 + 3_600_000 + ROUTING_DEFAULTS.BIN_SERVICE_S * 1000);
    expect(c2!.loadAfterKg).toBe(350);
    expect(route.distanceM).toBeGreaterThan(2_000);
  });
});
