import { describe, expect, it } from 'vitest';
import { cityTime } from '../../../src/routing/plans/city-time.js';
import { PlanSolver } from '../../../src/routing/plans/plan-solver.js';
import { buildProblem, type BinInput, type VehicleInput } from '../../../src/routing/plans/problem-builder.js';
import { ROUTING_DEFAULTS } from '../../../src/routing/routing.defaults.js';
import type { VrpOptions, VrpProblem, VrpSolution } from '../../../src/routing/solver/model.js';
import { solveVrp } from '../../../src/routing/solver/solve.js';
import { StraightLineProvider } from '../../../src/routing/travel/straight-line.provider.js';

const city = cityTime('Asia/Shanghai');
const NOW = city.at('2026-11-28', '05:00');
const travel = new StraightLineProvider();
const depot = { id: 'dep', name: 'Depot', lat: 30.25, lon: 120.16 };
/** A transfer station ~3 km away: every truck unloads there before going home (a long tail per route). */
const transfer = { id: 'tr', name: 'Transfer', lat: 30.23, lon: 120.19 };
const truck = (id: string, unloadSites: VehicleInput['unloadSites'] = []): VehicleInput => ({
  vehicleId: id, name: id, deviceId: `g-${id}`, capacityKg: 20_000, shift: { start: '06:00', end: '14:00' }, position: null, loadKg: null, depot, unloadSites,
});
/** 24 full bins in a block ~2 km north of the depot: one big truck could take them all. */
const bins: BinInput[] = Array.from({ length: 24 }, (_, i) => ({
  deviceId: `b${i}`, kind: 'bin', name: `b${i}`, lat: 30.27 + 0.001 * Math.floor(i / 6), lon: 120.16 + 0.001 * (i % 6), capacityL: 1000, fillPct: 90, ratePctPerH: 0, fittedAt: NOW,
}));

async function plan(balance: boolean, unloadSites: VehicleInput['unloadSites'] = []) {
  const built = await buildProblem(
    { now: NOW, city, defaults: ROUTING_DEFAULTS, bins, vehicles: [truck('t1', unloadSites), truck('t2', unloadSites)], params: { date: '2026-11-28', collectAtPct: 80, timeWindows: [] } },
    (p) => travel.matrix(p),
  );
  const options: VrpOptions[] = [];
  const solve = async (p: VrpProblem, o: VrpOptions): Promise<VrpSolution> => (options.push(o), solveVrp(p, { ...o, maxIterations: 600 }));
  const solved = await new PlanSolver(solve, travel).solve(built, 1, 2000, true, balance);
  return { solved, options, problem: built.problem };
}

const collects = (r: { stops: { kind: string }[] }) => r.stops.filter((s) => s.kind === 'collect').length;
const endOf = (r: { stops: { arriveAt: string }[] }) => Date.parse(r.stops.at(-1)!.arriveAt);

describe('plan solver: balance over the chosen trucks', () => {
  it('with balance, both trucks get stops and the round ends earlier than with one truck doing it all', async () => {
    const fewest = await plan(false);
    const balanced = await plan(true);
    expect(balanced.solved.summary).toMatchObject({ stops: 24, leftOut: 0, feasible: true, routes: 2 });
    const withStops = balanced.solved.routes.filter((r) => collects(r) > 0);
    expect(withStops).toHaveLength(2);
    for (const r of withStops) expect(collects(r)).toBeGreaterThanOrEqual(8);
    const lastBack = (s: typeof fewest.solved) => Math.max(...s.routes.filter((r) => collects(r) > 0).map(endOf));
    expect(lastBack(balanced.solved)).toBeLessThan(lastBack(fewest.solved));
    // the balancing pass ran with a soft end per truck, and every solve may stop early on no progress
    expect(balanced.problem.objective.perLateS).toBe(ROUTING_DEFAULTS.PER_LATE);
    expect(balanced.problem.vehicles.every((v) => v.softEndS !== undefined && v.softEndS > v.shiftStart)).toBe(true);
    for (const o of balanced.options) expect(o.maxIterationsWithoutImprovement).toBe(2000);
  });

  it('also when every truck has a long unload-and-home tail: the collecting is shared and the last bin is emptied earlier', async () => {
    // The tail does not shrink with a second truck; a fair end that ignored it made one truck look best.
    const fewest = await plan(false, [transfer]);
    const balanced = await plan(true, [transfer]);
    const withStops = balanced.solved.routes.filter((r) => collects(r) > 0);
    expect(withStops).toHaveLength(2);
    for (const r of withStops) expect(collects(r)).toBeGreaterThanOrEqual(6);
    expect(balanced.solved.routes.every((r) => collects(r) === 0 || r.stops.some((x) => x.kind === 'unload'))).toBe(true);
    const lastCollect = (s: typeof fewest.solved) =>
      Math.max(...s.routes.flatMap((r) => r.stops.filter((x) => x.kind === 'collect').map((x) => Date.parse(x.departAt))));
    expect(lastCollect(balanced.solved)).toBeLessThan(lastCollect(fewest.solved));
  });

  it('with balance false, the plan is valid (every bin served, feasible) and no soft end is set', async () => {
    const { solved, problem } = await plan(false);
    expect(solved.summary).toMatchObject({ stops: 24, leftOut: 0, feasible: true });
    expect(problem.objective.perLateS).toBeUndefined();
    expect(problem.vehicles.every((v) => v.softEndS === undefined)).toBe(true);
  });
});
