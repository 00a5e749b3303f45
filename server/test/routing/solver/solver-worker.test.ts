import { describe, expect, it } from 'vitest';
import { solveVrp } from '../../../src/routing/solver/solve.js';
import { solveInWorker } from '../../../src/routing/solver/solver-worker.js';
import { RoutingSolverError, RoutingSolverErrorCode } from '../../../src/routing/solver/solver.exception.js';
import { randomRich, routeLists, violations } from './solver.fixture.js';

// The worker runs the compiled server/dist/routing/solver/solver.worker.js (npm test builds it first).
describe('solveInWorker', () => {
  it('returns what solveVrp returns, and the event loop keeps running meanwhile', async () => {
    const p = randomRich(5, 120, 8);
    const options = { seed: 9, timeLimitMs: 120_000, maxIterations: 4000 };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t0 = Date.now();
    let ticksDuringSolve = 0;
    let solvedAfterMs = 0;
    const fromWorker = await solveInWorker(p, options).finally(() => {
      clearInterval(timer);
      ticksDuringSolve = ticks;
      solvedAfterMs = Date.now() - t0;
    });
    const inline = solveVrp(p, options);
    expect(routeLists(fromWorker)).toEqual(routeLists(inline));
    expect(fromWorker.cost).toBe(inline.cost);
    expect(violations(p, fromWorker)).toEqual([]);
    // the interval fired during the solve: the main thread was not blocked (only meaningful if the solve took a while)
    if (solvedAfterMs > 50) expect(ticksDuringSolve).toBeGreaterThan(1);
    expect(fromWorker.stats.iterations).toBe(4000);
  });

  it('passes a validation error back with its code', async () => {
    const p = randomRich(6, 5, 1);
    p.stops[0]!.location = 999;
    const err = await solveInWorker(p, { seed: 1, timeLimitMs: 1000, maxIterations: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RoutingSolverError);
    expect((err as RoutingSolverError).code).toBe(RoutingSolverErrorCode.INVALID_PROBLEM);
    expect((err as RoutingSolverError).message).toMatch(/stops\[0\]\.location/);
  });
});
