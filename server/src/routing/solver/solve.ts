import { buildInstance } from './instance.js';
import type { VrpOptions, VrpProblem, VrpSolution, VrpUnassignedReason } from './model.js';
import { search } from './search.js';
import { aloneReason, buildSolution } from './solution.js';
import { validateOptions, validateProblem } from './validate.js';

/*
 * How it works (files in this folder):
 * - instance.ts flattens the problem into typed arrays; route.ts keeps, per route, forward
 *   departure times, backward latest service starts and per-trip loads, so inserting a stop (or a
 *   stop plus a new reload, insertion.ts) is checked exactly in O(1).
 * - search.ts: SISR ruin-and-recreate (ruin.ts: strings of neighbouring stops from a few routes;
 *   greedy recreate with blinks over the routes near each stop) with simulated-annealing
 *   acceptance, temperatures scaled by the mean arc cost; each recreate is followed by a granular
 *   local search (granular-ls.ts: relocate of 1–3 stops, swap, 2-opt, 2-opt*) on the changed routes,
 *   and each new best by a relocate-anywhere descent (local-search.ts).
 * - Routes are kept feasible throughout (every move is checked, not penalised): the best solution
 *   is therefore always feasible unless a fixed prefix itself is not. Multi-trip: reloads are
 *   explicit visits, inserted together with a stop when its trip is full and dropped when two trips
 *   fit into one (tidyReloads); the unload before the end is part of the end arc.
 * - Soft route ends (objective.perLateS, vehicle.softEndS): the late term is part of each route's
 *   cost (route.ts), estimated in the insertion delta and relaxed into the move screens (the most a
 *   move could save on lateness); every move is still confirmed on the exact route costs.
 * - Deterministic: own PRNG (rng.ts); with maxIterations the cooling follows iterations, not time.
 */

/**
 * Plans the routes (synchronously, on the calling thread): validates, leaves out stops no vehicle
 * could ever serve (with the reason), runs the ruin-and-recreate search and returns the best
 * solution found. Same seed + maxIterations (time limit not hit) → same solution.
 */
export function solveVrp(problem: VrpProblem, options: VrpOptions): VrpSolution {
  const t0 = performance.now();
  validateProblem(problem);
  validateOptions(options);
  const I = buildInstance(problem);
  const pre: (VrpUnassignedReason | null)[] = [];
  const eligible = new Uint8Array(I.S);
  for (let s = 0; s < I.S; s++) {
    const r = aloneReason(I, s);
    pre.push(r);
    eligible[s] = r === null ? 1 : 0;
  }
  const res = search(I, eligible, options, t0);
  return buildSolution(I, res.routes, pre, {
    iterations: res.iterations,
    elapsedMs: res.elapsedMs,
    bestAtMs: res.bestAtMs,
    seed: options.seed,
  });
}
