/**
 * Periodic work (offline detection, escalation, SLA breach checks, custody deadlines). Modules
 * register tasks with the TaskRegistry in their onModuleInit; the scheduler (driven by
 * @nestjs/schedule) runs each task under a database lease, so with several server instances a task
 * runs once per period. A task only triggers work: it must be safe to run twice (idempotent).
 */
export interface PeriodicTask {
  /** Unique; also the lease name. */
  name: string;
  /** Wall-clock ms between runs. */
  everyMs: number;
  /** `now` is the server clock (simulated in tests). */
  run(now: number): Promise<void>;
}
