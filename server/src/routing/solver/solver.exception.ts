/**
 * The solver's one exception class. Plain Error (no Nest import): the solver also runs in a worker
 * thread and in the CLI; the routing module maps the code to an HTTP status.
 */
export enum RoutingSolverErrorCode {
  /** the problem data is inconsistent; the message names the field */
  INVALID_PROBLEM = 'INVALID_PROBLEM',
  /** options out of range (seed, time limit) */
  INVALID_OPTIONS = 'INVALID_OPTIONS',
  /** the worker thread could not start (e.g. server/dist not built) or crashed */
  WORKER_FAILED = 'WORKER_FAILED',
}

export class RoutingSolverError extends Error {
  constructor(
    readonly code: RoutingSolverErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RoutingSolverError';
  }

  static invalid(field: string, problem: string): RoutingSolverError {
    return new RoutingSolverError(RoutingSolverErrorCode.INVALID_PROBLEM, `${field}: ${problem}`);
  }
}
