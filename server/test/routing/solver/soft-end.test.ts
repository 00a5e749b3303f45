import { describe, expect, it } from 'vitest';
import type { VrpProblem, VrpSolution } from '../../../src/routing/solver/model.js';
import { solveVrp } from '../../../src/routing/solver/solve.js';
import { matrices, randomRich, routeLists, violations } from './solver.fixture.js';

const opts = (seed: number, maxIterations = 1500) => ({ seed, timeLimitMs: 60_000, maxIterations });

/** A cluster of stops 100 m from the depot, one minute of work each: one truck can do it all. */
function cluster(nStops: number, softEndS?: number, perLateS?: number): VrpProblem {
  const pts: [number, number][] = [[0, 0]];
  for (let i = 0; i < nStops; i++) pts.push([100 + 5 * (i % 5), 5 * Math.floor(i / 5)]);
  return {
    matrices: matrices(pts),
    vehicles: ['a', 'b'].map((id) => ({ id, start: 0, end: 0, capacity: 1000, shiftStart: 0, shiftEnd: 10_000, fixedCost: 20, softEndS })),
    stops: Array.from({ length: nStops }, (_, i) => ({ id: `s${i}`, location: i + 1, demand: 1, serviceS: 60, required: true })),
    objective: { perDistance: 1, perDuration: 0.1, perLateS },
  };
}

/** The objective recomputed from the visits and the matrices, not from the solver's own sums. */
function recomputedCost(p: VrpProblem, sol: VrpSolution): number {
  const n = p.matrices.size;
  let cost = 0;
  for (const r of sol.routes) {
    const v = p.vehicles[r.vehicle]!;
    const locs = [v.start, ...r.visits.map((x) => (x.type === 'stop' ? p.stops[x.stop]!.location : x.location)), v.end];
    let dist = 0;
    for (let i = 1; i < locs.length; i++) dist += p.matrices.distance[locs[i - 1]! * n + locs[i]!]!;
    const duration = r.timing.arriveEnd - r.timing.departStart;
    const late = v.softEndS === undefined ? 0 : Math.max(0, r.timing.arriveEnd - v.softEndS);
    cost += p.objective.perDistance * dist + p.objective.perDuration * duration + (p.objective.perLateS ?? 0) * late + (v.fixedCost ?? 0);
  }
  for (const u of sol.unassigned) if (!p.stops[u.stop]!.required) cost += p.stops[u.stop]!.prize ?? 0;
  return cost;
}

const maxEnd = (sol: VrpSolution): number => Math.max(...sol.routes.map((r) => r.timing.arriveEnd));

describe('soft route end', () => {
  it('spreads the work over both trucks when one alone would end well after the soft end', () => {
    const plain = solveVrp(cluster(20), opts(1));
    // nothing rewards a second truck: it only adds driving
    expect(plain.routes.filter((r) => r.visits.length > 0)).toHaveLength(1);
    const oneTruckEnd = maxEnd(plain);
    expect(oneTruckEnd).toBeGreaterThan(1200);

    const p = cluster(20, 800, 10);
    const sol = solveVrp(p, opts(1));
    expect(violations(p, sol)).toEqual([]);
    expect(sol.unassigned).toEqual([]);
    expect(sol.routes.filter((r) => r.visits.some((x) => x.type === 'stop'))).toHaveLength(2);
    expect(maxEnd(sol)).toBeLessThan(oneTruckEnd - 400);
    // (10 stops each already take ~850 s, so both are late:) the work is split evenly, not 19 + 1
    const ends = sol.routes.map((r) => r.timing.arriveEnd);
    expect(Math.abs(ends[0]! - ends[1]!)).toBeLessThan(90);
  });

  it('keeps one truck when the soft end is not exceeded', () => {
    const p = cluster(20, 5000, 10);
    const sol = solveVrp(p, opts(2));
    expect(sol.routes).toHaveLength(1);
  });

  it('perLateS 0 gives exactly the routes of a run without the fields', () => {
    for (const seed of [3, 5]) {
      const base = randomRich(seed, 50, 5);
      const a = solveVrp(base, opts(seed, 800));
      const withFields: VrpProblem = {
        ...base,
        vehicles: base.vehicles.map((v) => ({ ...v, softEndS: v.shiftStart + 60 })),
        objective: { ...base.objective, perLateS: 0 },
      };
      const b = solveVrp(withFields, opts(seed, 800));
      expect(routeLists(b)).toEqual(routeLists(a));
      expect(b.cost).toBe(a.cost);
    }
  });

  it('reports a cost equal to an independent recomputation including the late term', () => {
    const p = cluster(20, 500, 3);
    const sol = solveVrp(p, opts(4));
    // the soft end cannot be met here even with both trucks: the late term is part of the cost
    expect(maxEnd(sol)).toBeGreaterThan(500);
    expect(sol.cost).toBeCloseTo(recomputedCost(p, sol), 6);

    const rich = randomRich(6, 50, 5);
    rich.vehicles.forEach((v) => (v.softEndS = v.shiftStart + 0.3 * (v.shiftEnd - v.shiftStart)));
    rich.objective.perLateS = 2 * rich.objective.perDuration + 0.5;
    const rs = solveVrp(rich, opts(6, 800));
    expect(violations(rich, rs)).toEqual([]);
    expect(rs.routes.some((r) => r.timing.arriveEnd > rich.vehicles[r.vehicle]!.softEndS!)).toBe(true);
    expect(rs.cost).toBeCloseTo(recomputedCost(rich, rs), 6);
  });
});
