import { buildInstance } from './instance.js';
import type { VrpOptions, VrpProblem, VrpSolution, VrpUnassignedReason } from './model.js';
import { search } from './search.js';
import { aloneReason, buildSolution } from './solution.js';
import { validateOptions, validateProblem } from './validate.js';

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
