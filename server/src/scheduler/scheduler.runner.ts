import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CLOCK, type Clock } from '../clock/clock.js';
import { SERVER_CONFIG, type ServerConfig } from '../config/server.config.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { LeaseRepository } from './lease.repository.js';
import type { PeriodicTask } from './periodic-task.js';
import { TaskRegistry } from './task.registry.js';

/** Lease length in task periods: a holder that stops renewing is replaced after this many. */
export const LEASE_PERIODS = 3;
const INTERVAL_NAME = 'scheduler-tick';

interface TaskRun {
  lastStartedAt: number | null;
  running: boolean;
}

/**
 * Runs the registered PeriodicTasks: every SCHEDULER_TICK_MS (an @nestjs/schedule interval) each
 * task whose `everyMs` has elapsed since its last start runs, if this instance holds or can take
 * its lease. A task never overlaps itself; errors are logged, never thrown into the timer.
 * `everyMs` is wall time (the tick is a timer); tasks get `clock.now()` (possibly simulated).
 */
@Injectable()
export class SchedulerRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  /** SERVER_INSTANCE + a random suffix: two processes configured alike still hold different leases. */
  readonly holder: string;
  private readonly runs = new Map<string, TaskRun>();
  private readonly logger: Logger;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly registry: TaskRegistry,
    private readonly leases: LeaseRepository,
    private readonly schedulerRegistry: SchedulerRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.holder = `${config.SERVER_INSTANCE}-${randomBytes(4).toString('hex')}`;
    this.logger = logger.child({ module: 'scheduler', holder: this.holder });
  }

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER_TICK_MS === 0) return;
    const timer = setInterval(() => void this.tick(), this.config.SCHEDULER_TICK_MS);
    timer.unref();
    this.schedulerRegistry.addInterval(INTERVAL_NAME, timer);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.schedulerRegistry.doesExist('interval', INTERVAL_NAME)) this.schedulerRegistry.deleteInterval(INTERVAL_NAME);
    await Promise.allSettled([...this.inFlight]);
  }

  /** One scheduler tick: starts every due task (does not wait for them). `wallNow` for tests. */
  async tick(wallNow: number = Date.now()): Promise<void> {
    if (this.stopped) return;
    const started: Promise<unknown>[] = [];
    for (const task of this.registry.list()) {
      const run = this.runs.get(task.name) ?? { lastStartedAt: null, running: false };
      this.runs.set(task.name, run);
      if (run.running) continue;
      if (run.lastStartedAt !== null && wallNow - run.lastStartedAt < task.everyMs) continue;
      started.push(this.track(this.runUnderLease(task, run, wallNow)));
    }
    await Promise.allSettled(started);
  }

  /** Runs one task now under its lease, whatever its period (tests, tools). Resolves when done; false if another instance holds the lease. */
  async runNow(name: string): Promise<boolean> {
    const task = this.registry.list().find((t) => t.name === name);
    if (!task) throw new Error(`no periodic task "${name}"`);
    const run = this.runs.get(name) ?? { lastStartedAt: null, running: false };
    this.runs.set(name, run);
    while (run.running) await Promise.allSettled([...this.inFlight]);
    return this.track(this.runUnderLease(task, run, Date.now()));
  }

  private track<T>(p: Promise<T>): Promise<T> {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
    return p;
  }

  private async runUnderLease(task: PeriodicTask, run: TaskRun, wallNow: number): Promise<boolean> {
    run.running = true;
    try {
      const mine = await this.leases.acquire(task.name, this.holder, LEASE_PERIODS * task.everyMs);
      if (!mine) return false;
      run.lastStartedAt = wallNow;
      await task.run(this.clock.now());
      return true;
    } catch (err) {
      this.logger.error({ err, task: task.name }, 'periodic task failed');
      return false;
    } finally {
      run.running = false;
    }
  }
}
