import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { VrpOptions, VrpProblem, VrpSolution } from './model.js';
import { RoutingSolverError, RoutingSolverErrorCode } from './solver.exception.js';

/**
 * The compiled worker script. From dist this module sits next to it; under vitest this module is
 * the .ts source in server/src, so the worker is taken from server/dist (built by `tsc` first):
 * a Worker cannot run TypeScript.
 */
export function workerScriptPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return here.replace(/solver-worker\.js$/, 'solver.worker.js');
  return here.replace(/[\\/]src[\\/]routing[\\/]solver[\\/]solver-worker\.ts$/, '/dist/routing/solver/solver.worker.js');
}

/**
 * Runs solveVrp in a worker thread so the event loop keeps serving while it plans. The typed
 * matrices are copied by structured clone (the caller keeps its own).
 */
export function solveInWorker(problem: VrpProblem, options: VrpOptions): Promise<VrpSolution> {
  const script = workerScriptPath();
  if (!existsSync(script)) {
    return Promise.reject(
      new RoutingSolverError(
        RoutingSolverErrorCode.WORKER_FAILED,
        `solver worker script ${script} not found: build the server first (cd server && npx tsc -p tsconfig.build.json)`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(script, { workerData: { problem, options } });
    worker.once('message', (m: { ok: true; solution: VrpSolution } | { ok: false; code?: RoutingSolverErrorCode; message: string }) => {
      settled = true;
      if (m.ok) resolve(m.solution);
      else reject(new RoutingSolverError(m.code ?? RoutingSolverErrorCode.WORKER_FAILED, m.message));
      void worker.terminate();
    });
    worker.once('error', (e) => {
      if (settled) return;
      settled = true;
      reject(new RoutingSolverError(RoutingSolverErrorCode.WORKER_FAILED, `solver worker failed: ${e.message}`));
    });
    worker.once('exit', (code) => {
      if (settled) return;
      settled = true;
      reject(new RoutingSolverError(RoutingSolverErrorCode.WORKER_FAILED, `solver worker exited with code ${code} before answering`));
    });
  });
}
