import { SchedulerRegistry } from '@nestjs/schedule';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { parseServerConfig } from '../../src/config/server.config.js';
import type { Database } from '../../src/database/database.js';
import { createLogger } from '../../src/logging/logger.js';
import { LeaseRepository } from '../../src/scheduler/lease.repository.js';
import type { PeriodicTask } from '../../src/scheduler/periodic-task.js';
import { SchedulerRunner } from '../../src/scheduler/scheduler.runner.js';
import { TaskRegistry } from '../../src/scheduler/task.registry.js';
import { INTERNAL_TOKEN } from '../support/app.js';
import { DRIVERS, openMigrated, type TestDatabaseFactory } from '../support/databases.js';

/** One server instance's scheduler: its own registry with the same task names as the others. */
function instance(db: Database, name: string, tasks: PeriodicTask[]): SchedulerRunner {
  const registry = new TaskRegistry();
  for (const t of tasks) registry.register(t);
  const config = parseServerConfig({ INTERNAL_TOKEN, SERVER_INSTANCE: name, SCHEDULER_TICK_MS: '0' });
  return new SchedulerRunner(registry, new LeaseRepository(db), new SchedulerRegistry(), new ManualClock(0), config, createLogger('silent'));
}

describe.each(DRIVERS)('scheduler leases on $driver', ({ factory: makeFactory }) => {
  let factory: TestDatabaseFactory;
  let first: Database;
  let second: Database;

  beforeAll(async () => {
    factory = makeFactory();
    first = await openMigrated(factory);
    second = await factory.openSecond();
  });
  afterAll(async () => factory?.cleanup());

  it('two instances ticking together run a task once per period, on one instance', async () => {
    const runs: string[] = [];
    const task = (who: string): PeriodicTask => ({ name: 'count', everyMs: 60_000, run: async () => void runs.push(who) });
    const a = instance(first, 'a', [task('a')]);
    const b = instance(second, 'b', [task('b')]);
    // Ten periods of wall time; both instances tick twice per period, concurrently.
    for (let wall = 0; wall < 10 * 60_000; wall += 30_000) await Promise.all([a.tick(wall), b.tick(wall)]);
    expect(runs).toHaveLength(10);
    expect(new Set(runs).size).toBe(1);
  });

  it('another instance takes over once the holder stops renewing; a slow task never overlaps itself', async () => {
    let running = 0;
    let maxRunning = 0;
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const slow = (who: string): PeriodicTask => ({
      name: 'slow',
      everyMs: 100, // lease: 3 × 100 ms
      run: async () => {
        runs.push(who);
        running++;
        maxRunning = Math.max(maxRunning, running);
        if (who === 'a') await new Promise<void>((r) => (release = r));
        running--;
      },
    });
    const a = instance(first, 'a', [slow('a')]);
    const b = instance(second, 'b', [slow('b')]);
    const firstRun = a.tick(0);
    await new Promise((r) => setTimeout(r, 20));
    await a.tick(1_000); // due again, but still running: not started twice
    await b.tick(1_000); // a holds the lease
    expect(runs).toEqual(['a']);
    release();
    await firstRun;
    // a stops ticking (crashed); once its lease expired, b runs the task.
    await new Promise((r) => setTimeout(r, 400));
    await b.tick(2_000);
    expect(runs).toEqual(['a', 'b']);
    expect(maxRunning).toBe(1);
  });

  it('a failing task is logged, not thrown, and runs again next period', async () => {
    let attempts = 0;
    const a = instance(first, 'a', [{ name: 'flaky', everyMs: 1_000, run: async () => void (attempts++, (() => { throw new Error('boom'); })()) }]);
    await expect(a.tick(0)).resolves.toBeUndefined();
    await a.tick(1_000);
    expect(attempts).toBe(2);
  });
});
