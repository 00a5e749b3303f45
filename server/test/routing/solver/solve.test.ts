import { describe, expect, it } from 'vitest';
import type { VrpProblem } from '../../../src/routing/solver/model.js';
import { solveVrp } from '../../../src/routing/solver/solve.js';
import { RoutingSolverError, RoutingSolverErrorCode } from '../../../src/routing/solver/solver.exception.js';
import { matrices, randomRich, routeLists, violations } from './solver.fixture.js';

const opts = (seed: number, maxIterations = 3000) => ({ seed, timeLimitMs: 60_000, maxIterations });

/** A line of stops east of a depot at 0: easy to reason about. */
function line(nStops: number, capacity: number, nVehicles = 3): VrpProblem {
  const pts: [number, number][] = [[0, 0]];
  for (let i = 1; i <= nStops; i++) pts.push([10 * i, i % 2]);
  return {
    matrices: matrices(pts),
    vehicles: Array.from({ length: nVehicles }, (_, v) => ({ id: `v${v}`, start: 0, end: 0, capacity, shiftStart: 0, shiftEnd: 10_000 })),
    stops: Array.from({ length: nStops }, (_, i) => ({ id: `s${i}`, location: i + 1, demand: 1, serviceS: 5, required: true })),
    objective: { perDistance: 1, perDuration: 0 },
  };
}

describe('solveVrp on random rich instances', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`serves every stop once or says why, within capacity, windows and shifts (instance ${seed})`, () => {
      const p = randomRich(seed, 60, 6);
      const sol = solveVrp(p, opts(seed, 1500));
      expect(violations(p, sol)).toEqual([]);
      expect(sol.feasible).toBe(true);
      for (const u of sol.unassigned) expect(['capacity', 'time-window', 'shift', 'no-vehicle']).toContain(u.reason);
      // most stops fit: the fleet is sized for them
      expect(sol.unassigned.length).toBeLessThan(p.stops.length / 4);
    });
  }

  it('uses reload trips when one truckload is not enough', () => {
    const p = line(30, 10, 1);
    p.vehicles[0]!.reloadSites = [0];
    p.vehicles[0]!.reloadServiceS = 20;
    const sol = solveVrp(p, opts(7));
    expect(violations(p, sol)).toEqual([]);
    expect(sol.unassigned).toEqual([]);
    expect(sol.routes[0]!.visits.filter((v) => v.type === 'reload').length).toBeGreaterThanOrEqual(2);
  });
});

describe('solveVrp constraints', () => {
  it('unloads before the end when the truck must not go home full', () => {
    const p = line(8, 5, 1);
    Object.assign(p.vehicles[0]!, { reloadSites: [3], reloadServiceS: 15, unloadBeforeEnd: true, initialLoad: 2 });
    const sol = solveVrp(p, opts(4, 500));
    expect(violations(p, sol)).toEqual([]);
    expect(sol.unassigned).toEqual([]);
    const r = sol.routes[0]!;
    expect(r.visits.at(-1)).toEqual({ type: 'reload', location: 3 });
    expect(r.timing.loadAfter.at(-1)).toBe(0);
    expect(Math.max(...r.timing.loadAfter)).toBeLessThanOrEqual(5);
  });

  it('says "shift" for a stop too far to reach and come back within any shift', () => {
    const p = line(4, 10, 2);
    p.vehicles.forEach((v) => (v.shiftEnd = 60));
    const sol = solveVrp(p, opts(2, 200));
    expect(violations(p, sol)).toEqual([]);
    // stop 3 is 40 away: 80 of driving + 5 of service > 60
    expect(sol.unassigned).toContainEqual({ stop: 3, reason: 'shift' });
    expect(sol.unassigned.some((u) => u.stop === 0)).toBe(false);
  });

  it('keeps a locked stop on its vehicle', () => {
    const p = randomRich(11, 40, 4);
    p.stops[5]!.vehicle = 3;
    p.stops[6]!.vehicle = 0;
    const sol = solveVrp(p, opts(3, 1000));
    expect(violations(p, sol)).toEqual([]);
    const holder = (s: number) => sol.routes.find((r) => r.visits.some((v) => v.type === 'stop' && v.stop === s))?.vehicle;
    if (!sol.unassigned.some((u) => u.stop === 5)) expect(holder(5)).toBe(3);
    if (!sol.unassigned.some((u) => u.stop === 6)) expect(holder(6)).toBe(0);
  });

  it('serves a fixed prefix first and in order, even when another order would be shorter', () => {
    const p = line(12, 100, 2);
    p.vehicles[1]!.fixedPrefix = [11, 0, 6];
    const sol = solveVrp(p, opts(5));
    expect(violations(p, sol)).toEqual([]);
    const r = sol.routes.find((x) => x.vehicle === 1)!;
    expect(r.visits.slice(0, 3)).toEqual([{ type: 'stop', stop: 11 }, { type: 'stop', stop: 0 }, { type: 'stop', stop: 6 }]);
  });

  it('reports stops no vehicle can serve with the reason', () => {
    const p = line(6, 10, 2);
    p.vehicles.forEach((v) => (v.shiftEnd = 1000));
    p.stops[0]!.demand = 11; // more than any capacity
    p.stops[1]!.twStart = 5000; // window after every shift
    p.stops[1]!.twEnd = 6000;
    p.stops[2]!.allowedVehicles = []; // nobody may serve it
    const sol = solveVrp(p, opts(1));
    expect(violations(p, sol)).toEqual([]);
    const reason = Object.fromEntries(sol.unassigned.map((u) => [u.stop, u.reason]));
    expect(reason).toEqual({ 0: 'capacity', 1: 'time-window', 2: 'no-vehicle' });
  });

  it('leaves out an optional stop whose prize is below its detour, serves it when above', () => {
    const pts: [number, number][] = [[0, 0], [10, 0], [20, 0], [15, 40]];
    const base = (prize: number): VrpProblem => ({
      matrices: matrices(pts),
      vehicles: [{ id: 'v', start: 0, end: 0, capacity: 10, shiftStart: 0, shiftEnd: 1e6 }],
      stops: [
        { id: 'a', location: 1, demand: 1, serviceS: 0, required: true },
        { id: 'b', location: 2, demand: 1, serviceS: 0, required: true },
        { id: 'far', location: 3, demand: 1, serviceS: 0, required: false, prize },
      ],
      objective: { perDistance: 1, perDuration: 0 },
    });
    // detour to (15, 40) from the (20,0)→(0,0) leg ≈ 40.3 + 42.7 − 20 = 63
    const cheap = solveVrp(base(30), opts(1, 200));
    expect(cheap.unassigned).toEqual([{ stop: 2, reason: 'not-worth-it' }]);
    expect(cheap.cost).toBeCloseTo(40 + 30, 6);
    const worth = solveVrp(base(100), opts(1, 200));
    expect(worth.unassigned).toEqual([]);
    expect(worth.routes[0]!.visits).toHaveLength(3);
  });

  it('rejects an inconsistent problem with a message naming the field', () => {
    const bad = (mutate: (p: VrpProblem) => void): RoutingSolverError => {
      const p = line(3, 10);
      mutate(p);
      try {
        solveVrp(p, opts(1, 10));
      } catch (e) {
        return e as RoutingSolverError;
      }
      throw new Error('no error');
    };
    const e1 = bad((p) => (p.matrices.distance = new Float64Array(5)));
    expect(e1).toBeInstanceOf(RoutingSolverError);
    expect(e1.code).toBe(RoutingSolverErrorCode.INVALID_PROBLEM);
    expect(e1.message).toMatch(/matrices\.distance/);
    expect(bad((p) => (p.stops[1]!.location = 9)).message).toMatch(/stops\[1\]\.location: location 9 out of range/);
    expect(bad((p) => Object.assign(p.stops[0]!, { twStart: 50, twEnd: 10 })).message).toMatch(/stops\[0\]\.twStart: twStart 50 > twEnd 10/);
    expect(bad((p) => (p.stops[2]!.vehicle = 7)).message).toMatch(/stops\[2\]\.vehicle: locked vehicle 7 out of range/);
  });
});

describe('solveVrp determinism', () => {
  it('gives the identical solution for the same seed and iteration budget', () => {
    const p = randomRich(21, 50, 5);
    const a = solveVrp(p, opts(42, 800));
    const b = solveVrp(p, opts(42, 800));
    expect(routeLists(a)).toEqual(routeLists(b));
    expect(a.cost).toBe(b.cost);
    expect(a.stats.iterations).toBe(800);
  });

  it('explores differently with another seed', () => {
    const p = randomRich(22, 80, 6);
    const runs = [1, 2, 3].map((seed) => routeLists(solveVrp(p, opts(seed, 50))).join('|'));
    expect(new Set(runs).size).toBeGreaterThan(1);
  });
});
