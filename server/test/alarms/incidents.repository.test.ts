import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSE_POLICY } from '../../src/alarms/cause-policy.js';
import { ManualClock } from '../../src/clock/clock.js';
import type { Database } from '../../src/database/database.js';
import { DRIVERS, openMigrated, type TestDatabaseFactory } from '../support/databases.js';
import { buildDispatch, count, MIN, report, T0, type Dispatch } from './dispatch.fixture.js';

describe.each(DRIVERS)('incidents (alarms + jobs) on $driver', ({ factory: makeFactory }) => {
  let factory: TestDatabaseFactory;
  let db: Database;
  let second: Database;
  let clock: ManualClock;
  let d: Dispatch;

  beforeAll(async () => {
    factory = makeFactory();
    db = await openMigrated(factory);
    second = await factory.openSecond();
    clock = new ManualClock(T0);
    d = buildDispatch(db, clock);
    await db.query(`INSERT INTO contractors (id, name) VALUES ('acme', 'Acme Sanitation')`);
    await db.query(
      `INSERT INTO zones (id, name, contractor, geometry, min_lon, min_lat, max_lon, max_lat)
       VALUES ('zone-a', 'Zone A', 'acme', '{}'::jsonb, 120, 30, 121, 31)`,
    );
  });
  afterAll(async () => factory?.cleanup());

  it('20 concurrent raises from two instances open one alarm and one job, linked, contractor from the zone', async () => {
    const other = buildDispatch(second, clock);
    const calls = Array.from({ length: 20 }, (_, i) => (i % 2 ? other : d).incidents.raise(report('bin-fire1', 'bin-fire')));
    await Promise.all(calls);
    expect(await count(db, 'alarms', 'bin-fire1')).toBe(1);
    expect(await count(db, 'jobs', 'bin-fire1')).toBe(1);
    const [job] = await d.jobs.findOpen('bin-fire1');
    const alarm = (await d.alarms.list({ deviceId: 'bin-fire1', limit: 10, offset: 0 })).items[0]!;
    expect(alarm).toMatchObject({ cause: 'bin-fire', severity: 'critical', status: 'open', zone: 'zone-a', contractor: 'acme', jobId: job!.jobId });
    expect(job).toMatchObject({
      type: 'fire-response',
      priority: 1,
      status: 'open',
      contractor: 'acme',
      alarmId: alarm.alarmId,
      message: 'bin-fire at bin-fire1',
      details: { probe: 'bin-fire' },
      dueAt: new Date(T0 + 30 * MIN).toISOString(),
    });
    // Each change was emitted once, by the instance that made it.
    const emittedAlarms = [...d.emitted.alarms, ...other.emitted.alarms].filter((a) => a.deviceId === 'bin-fire1');
    const emittedJobs = [...d.emitted.jobs, ...other.emitted.jobs].filter((j) => j.deviceId === 'bin-fire1');
    expect(emittedAlarms).toHaveLength(1);
    expect(emittedAlarms[0]!.jobId).toBe(job!.jobId);
    expect(emittedJobs).toHaveLength(1);
  });

  it('20 concurrent raises of a job-only cause create one job and no alarm', async () => {
    await Promise.all(Array.from({ length: 20 }, () => d.incidents.raise(report('bin-full1', 'bin-full'))));
    expect(await count(db, 'alarms', 'bin-full1')).toBe(0);
    const jobs = await d.jobs.findOpen('bin-full1');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ type: 'collection', priority: 3, alarmId: null, dueAt: new Date(T0 + 240 * MIN).toISOString() });
  });

  it('a restarted instance re-raising changes nothing and emits nothing', async () => {
    const restarted = buildDispatch(db, clock);
    await restarted.incidents.raise(report('bin-fire1', 'bin-fire', { at: T0 + 5 * MIN }));
    await restarted.incidents.raise(report('bin-full1', 'bin-full', { at: T0 + 5 * MIN }));
    expect(restarted.emitted).toEqual({ alarms: [], jobs: [] });
    expect(await count(db, 'alarms', 'bin-fire1')).toBe(1);
    expect(await count(db, 'jobs', 'bin-full1')).toBe(1);
  });

  it('gives every cause the alarm and job its policy asks for', async () => {
    for (const [cause, policy] of Object.entries(CAUSE_POLICY)) {
      const subject = `toilet-all-${cause}`;
      await d.incidents.raise(report(subject, cause as keyof typeof CAUSE_POLICY));
      const alarms = (await d.alarms.list({ deviceId: subject, limit: 10, offset: 0 })).items;
      const jobs = await d.jobs.findOpen(subject);
      expect(alarms.map((a) => a.severity), cause).toEqual(policy.severity ? [policy.severity] : []);
      expect(jobs.map((j) => [j.type, j.priority]), cause).toEqual(policy.job ? [[policy.job.type, policy.job.priority]] : []);
    }
  });

  it('clear resolves the alarm by system with the reason; the job stays with a note; a new episode opens a new alarm', async () => {
    await d.incidents.raise(report('streetlight-1', 'lamp-failure'));
    const before = (await d.alarms.list({ deviceId: 'streetlight-1', limit: 10, offset: 0 })).items[0]!;
    await d.incidents.clear('streetlight-1', 'lamp-failure', T0 + 10 * MIN, 'lamp lit again');
    await d.incidents.clear('streetlight-1', 'lamp-failure', T0 + 11 * MIN, 'lamp lit again'); // idempotent
    const resolved = await d.alarms.get(before.alarmId);
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolvedBy: 'system',
      resolution: 'lamp lit again',
      resolvedAt: new Date(T0 + 10 * MIN).toISOString(),
    });
    expect(resolved.history!.map((h) => h.action)).toEqual(['opened', 'resolved']);
    const job = (await d.jobs.get(before.jobId!))!;
    expect(job.status).toBe('open');
    expect(job.history!.filter((h) => h.action === 'condition-cleared')).toHaveLength(1);

    await d.incidents.raise(report('streetlight-1', 'lamp-failure', { at: T0 + 20 * MIN }));
    const alarms = (await d.alarms.list({ deviceId: 'streetlight-1', limit: 10, offset: 0 })).items;
    expect(alarms.map((a) => a.status)).toEqual(['open', 'resolved']);
    expect(alarms[0]!.jobId).toBe(job.jobId); // the still-open job serves the new episode
    expect(await count(db, 'jobs', 'streetlight-1')).toBe(1);
  });

  it('a more urgent cause joining an open job tightens it; a job closed after the observation is not recreated', async () => {
    await d.incidents.raise(report('bin-2', 'bin-forecast-full', { dueBy: T0 + 60 * MIN }));
    await d.incidents.raise(report('bin-2', 'bin-full', { at: T0 + 10 * MIN }));
    let [job] = await d.jobs.findOpen('bin-2', 'collection');
    expect(job).toMatchObject({ cause: 'bin-forecast-full', dueAt: new Date(T0 + 60 * MIN).toISOString() });
    await d.incidents.raise(report('bin-2', 'bin-forecast-full', { at: T0 + 12 * MIN, dueBy: T0 + 30 * MIN }));
    [job] = await d.jobs.findOpen('bin-2', 'collection');
    expect(job!.dueAt).toBe(new Date(T0 + 30 * MIN).toISOString());
    const history = (await d.jobs.get(job!.jobId))!.history!;
    expect(history.map((h) => h.action)).toEqual(['open', 'merged', 'escalated']);

    clock.set(T0 + 40 * MIN);
    await d.jobs.complete(job!.jobId, 'system', 'truck stopped, fill dropped');
    // A late (replayed) finding from before the collection does not send the truck again…
    await d.incidents.raise(report('bin-2', 'bin-full', { at: T0 + 15 * MIN }));
    expect(await d.jobs.findOpen('bin-2')).toEqual([]);
    // …a new one after it does.
    await d.incidents.raise(report('bin-2', 'bin-full', { at: T0 + 50 * MIN }));
    expect(await d.jobs.findOpen('bin-2')).toHaveLength(1);
    clock.set(T0);
  });

  it('gas at a tank flags its jobs unsafe (also jobs opened during the gas) until it clears', async () => {
    await d.incidents.raise(report('septic-1', 'septic-full'));
    await d.incidents.raise(report('septic-1', 'septic-gas', { message: 'H2S 40 ppm' }));
    let [job] = await d.jobs.findOpen('septic-1');
    expect(job).toMatchObject({ type: 'pumping', unsafe: true });
    await d.incidents.raise(report('septic-2', 'septic-gas'));
    await d.incidents.raise(report('septic-2', 'septic-forecast-full'));
    expect((await d.jobs.findOpen('septic-2'))[0]!.unsafe).toBe(true);

    await d.incidents.clear('septic-1', 'septic-gas', T0 + 30 * MIN, 'H2S 2 ppm');
    [job] = await d.jobs.findOpen('septic-1');
    expect(job!.unsafe).toBe(false);
    const actions = (await d.jobs.get(job!.jobId))!.history!.map((h) => h.action);
    expect(actions).toEqual(['open', 'unsafe', 'safe']);
    await d.incidents.setUnsafe('septic-1', true, T0 + 31 * MIN, 'CH4 rising');
    expect((await d.jobs.findOpen('septic-1'))[0]!.unsafe).toBe(true);
  });

  it('ignores malformed reports and stale clears without throwing; notes a cleared job-only cause once', async () => {
    await d.incidents.raise({ ...report('bin-bad', 'bin-full'), cause: 'bin-exploded' as never });
    await d.incidents.raise({ ...report('bin-bad', 'bin-full'), at: Number.NaN });
    await d.incidents.raise({ ...report('', 'bin-full') });
    expect(await count(db, 'jobs', 'bin-bad')).toBe(0);

    await d.incidents.raise(report('bin-stale', 'bin-tilt', { at: T0 + 10 * MIN }));
    await d.incidents.clear('bin-stale', 'bin-tilt', T0 + 5 * MIN, 'upright (an older reading)');
    expect((await d.alarms.list({ deviceId: 'bin-stale', limit: 1, offset: 0 })).items[0]!.status).toBe('open');

    await d.incidents.raise(report('toilet-9', 'toilet-consumables'));
    await d.incidents.clear('toilet-9', 'toilet-consumables', T0 + 5 * MIN, 'paper 80 %');
    await d.incidents.clear('toilet-9', 'toilet-consumables', T0 + 6 * MIN, 'paper 80 %');
    const [job] = await d.jobs.findOpen('toilet-9');
    const notes = (await d.jobs.get(job!.jobId))!.history!.filter((h) => h.action === 'condition-cleared');
    expect(notes).toMatchObject([{ by: 'system', note: 'toilet-consumables: paper 80 %' }]);
  });

  it('escalates an unacknowledged alarm one step once, then reminds every 30 min, and stops once acknowledged', async () => {
    await d.incidents.raise(report('streetlight-9', 'power-anomaly', { at: T0 })); // minor
    const id = (await d.alarms.list({ deviceId: 'streetlight-9', limit: 1, offset: 0 })).items[0]!.alarmId;
    const mine = (alarms: { alarmId: string }[]) => alarms.filter((a) => a.alarmId === id);
    expect(mine(await d.alarms.escalateDue(T0 + 59 * MIN))).toEqual([]);
    expect(mine(await d.alarms.escalateDue(T0 + 60 * MIN))).toMatchObject([{ severity: 'major', escalations: 1 }]);
    expect(mine(await d.alarms.escalateDue(T0 + 89 * MIN))).toEqual([]); // reminders every 30 min
    expect(mine(await d.alarms.escalateDue(T0 + 90 * MIN))).toMatchObject([{ severity: 'major', escalations: 2 }]);
    expect(mine(await d.alarms.escalateDue(T0 + 120 * MIN))).toMatchObject([{ severity: 'major', escalations: 3 }]);
    expect(mine(await d.alarms.escalateDue(T0 + 120 * MIN))).toEqual([]); // once per period
    await d.alarms.acknowledge(id, 'dora', 'crew informed');
    expect(mine(await d.alarms.escalateDue(T0 + 500 * MIN))).toEqual([]);
    const alarm = await d.alarms.get(id);
    expect(alarm).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'dora', severity: 'major', escalations: 3 });
    expect(alarm.history!.map((h) => h.action)).toEqual(['opened', 'escalated', 'reminded', 'reminded', 'acknowledged']);
    // The registered task does the same work.
    expect(d.tasks.list().map((t) => t.name).sort()).toEqual(['alarms-escalation', 'jobs-sla']);
  });

  it('flags open jobs past due overdue once, through the jobs-sla task', async () => {
    await d.incidents.raise(report('toilet-5', 'toilet-odour', { at: T0 })); // cleaning, SLA 60 min
    const [job] = await d.jobs.findOpen('toilet-5');
    const sla = d.tasks.list().find((t) => t.name === 'jobs-sla')!;
    await sla.run(T0 + 59 * MIN);
    expect((await d.jobs.get(job!.jobId))!.flags).toEqual([]);
    const emittedBefore = d.emitted.jobs.length;
    await sla.run(T0 + 61 * MIN);
    await sla.run(T0 + 62 * MIN);
    const flagged = (await d.jobs.get(job!.jobId))!;
    expect(flagged.flags).toEqual(['overdue']);
    expect(flagged.history!.filter((h) => h.action === 'flagged')).toHaveLength(1);
    expect(d.emitted.jobs.slice(emittedBefore).filter((j) => j.jobId === job!.jobId)).toHaveLength(1);
  });
});
