/**
 * Worker-thread entry: runs solveVrp on the problem it is given and posts the solution back (or the
 * error's code and message, since class identity does not survive the thread boundary).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { VrpOptions, VrpProblem } from './model.js';
import { solveVrp } from './solve.js';
import { RoutingSolverError } from './solver.exception.js';

const { problem, options } = workerData as { problem: VrpProblem; options: VrpOptions };
try {
  parentPort!.postMessage({ ok: true, solution: solveVrp(problem, options) });
} catch (e) {
  const code = e instanceof RoutingSolverError ? e.code : undefined;
  parentPort!.postMessage({ ok: false, code, message: e instanceof Error ? e.message : String(e) });
}
