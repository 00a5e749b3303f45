import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import type { Database } from '../../src/database/database.js';
import { JobsException, JobsExceptionCode } from '../../src/jobs/jobs.exception.js';
import { buildDispatch, MIN, report, T0, type Dispatch } from '../alarms/dispatch.fixture.js';
import { DRIVERS, openMigrated, type TestDatabaseFactory } from '../support/databases.js';

describe.each(DRIVERS)('job lifecycle on $driver', ({ factory: makeFactory }) => {
  let factory: TestDatabaseFactory;
  let db: Database;
  let clock: ManualClock;
  let d: Dispatch;

  async function openJob(subject: string, cause: Parameters<typeof report>[1] = 'bin-full'): Promise<string> {
    await d.incidents.raise(report(subject, cause));
    return (await d.jobs.findOpen(subject))[0]!.jobId;
  }

  beforeAll(async () => {
    factory = makeFactory();
    db = await openMigrated(factory);
    clock = new ManualClock(T0);
    d = buildDispatch(db, clock);
    await db.query(
      `INSERT INTO vehicles (id, name, skill, device_id, capacity_kg, shift_start, shift_end)
       VALUES ('truck-1', 'Truck 1', 'collection', 'truck-dev-1', 8000, '06:00', '18:00'),
              ('tanker-1', 'Tanker 1', 'septic', 'truck-dev-2', 6000, '06:00', '18:00')`,
    );
    await db.query(
      `INSERT INTO crews (id, name, skill, members, capacity_jobs, shift_start, shift_end, base_lat, base_lon)
       VALUES ('crew-l', 'Lighting crew', 'lighting', ARRAY['lin'], 8, '18:00', '06:00', 30.2, 120.1)`,
    );
  });
  afterAll(async () => factory?.cleanup());

  it('goes open → assigned → en_route → on_site → done, each step timestamped and attributed', async () => {
    const id = await openJob('streetlight-7', 'lamp-failure');
    clock.set(T0 + 1 * MIN);
    await d.jobs.setProposal(id, { unitType: 'crew', unitId: 'crew-l', name: 'Lighting crew', travelS: 600, distanceM: 4000 });
    clock.set(T0 + 2 * MIN);
    expect(await d.jobs.assign(id, { unitType: 'crew', unitId: 'crew-l' }, 'dora')).toMatchObject({
      status: 'assigned',
      assignee: { unitType: 'crew', unitId: 'crew-l' },
      proposal: { unitId: 'crew-l' },
    });
    clock.set(T0 + 3 * MIN);
    await d.jobs.transition(id, 'en_route', 'lin');
    clock.set(T0 + 20 * MIN);
    await d.jobs.transition(id, 'on_site', 'lin');
    clock.set(T0 + 50 * MIN);
    const done = await d.jobs.transition(id, 'done', 'lin', { note: 'lamp replaced', photoUrl: 'https://example.org/p.jpg' });
    expect(done).toMatchObject({ status: 'done', completedAt: new Date(T0 + 50 * MIN).toISOString(), flags: [], proof: { photoUrl: 'https://example.org/p.jpg' } });
    expect(done.history!.map((h) => [h.action, h.by, h.at])).toEqual([
      ['open', 'system', new Date(T0).toISOString()],
      ['proposed', 'system', new Date(T0 + 1 * MIN).toISOString()],
      ['assigned', 'dora', new Date(T0 + 2 * MIN).toISOString()],
      ['en_route', 'lin', new Date(T0 + 3 * MIN).toISOString()],
      ['on_site', 'lin', new Date(T0 + 20 * MIN).toISOString()],
      ['done', 'lin', new Date(T0 + 50 * MIN).toISOString()],
    ]);
  });

  it('rejects illegal transitions with 409 naming from and to', async () => {
    const id = await openJob('bin-ill');
    const illegal = async (p: Promise<unknown>, from: string, to: string) => {
      const err = await p.then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(JobsException);
      expect((err as JobsException).code).toBe(JobsExceptionCode.ILLEGAL_TRANSITION);
      expect((err as JobsException).getStatus()).toBe(409);
      expect((err as JobsException).message).toContain(`from ${from} to ${to}`);
    };
    await illegal(d.jobs.transition(id, 'on_site', 'x'), 'open', 'on_site');
    await d.jobs.assign(id, { unitType: 'vehicle', unitId: 'truck-1' }, 'dora');
    await d.jobs.transition(id, 'on_site', 'x');
    await illegal(d.jobs.transition(id, 'en_route', 'x'), 'on_site', 'en_route');
    await illegal(d.jobs.assign(id, { unitType: 'vehicle', unitId: 'truck-1' }, 'dora'), 'on_site', 'assigned');
    await d.jobs.cancel(id, 'dora', 'bin removed');
    await illegal(d.jobs.transition(id, 'done', 'x'), 'cancelled', 'done');
    await illegal(d.jobs.cancel(id, 'dora', 'again'), 'cancelled', 'cancelled');
    await expect(d.jobs.transition('999999', 'done', 'x')).rejects.toMatchObject({ code: JobsExceptionCode.JOB_NOT_FOUND });
    await expect(d.jobs.assign(id, { unitType: 'crew', unitId: 'nobody' }, 'x')).rejects.toMatchObject({ code: JobsExceptionCode.UNIT_NOT_FOUND });
    expect((await d.jobs.get(id))!.status).toBe('cancelled');
  });

  it('reassigns while en route (back to assigned), and accepting the proposal needs one', async () => {
    const id = await openJob('bin-re');
    await expect(d.jobs.acceptProposal(id, 'dora')).rejects.toMatchObject({ code: JobsExceptionCode.NO_PROPOSAL });
    await d.jobs.assign(id, { unitType: 'vehicle', unitId: 'truck-1' }, 'dora');
    await d.jobs.transition(id, 'en_route', 'system');
    await d.jobs.setProposal(id, { unitType: 'vehicle', unitId: 'tanker-1', name: 'Tanker 1', travelS: 60, distanceM: 500 });
    const job = await d.jobs.acceptProposal(id, 'dora', 'closer');
    expect(job).toMatchObject({ status: 'assigned', assignee: { unitType: 'vehicle', unitId: 'tanker-1' } });
    expect(job.history!.at(-1)).toMatchObject({ action: 'assigned', by: 'dora', note: 'closer', data: { previous: { unitId: 'truck-1' } } });
  });

  it('flags a collection closed by hand without proof unproven; a system close with proof is proven', async () => {
    const claimed = await openJob('bin-claim');
    await d.jobs.assign(claimed, { unitType: 'vehicle', unitId: 'truck-1' }, 'dora');
    const done = await d.jobs.transition(claimed, 'done', 'driver');
    expect(done.status).toBe('done');
    expect(done.flags).toEqual(['unproven']);
    expect(done.history!.at(-1)).toMatchObject({ action: 'flagged', note: expect.stringMatching(/stopAt.*levelAfter/) });
    // Proof arriving afterwards clears the flag.
    const proven = await d.jobs.recordProof(claimed, { stopVehicleId: 'truck-1', stopAt: new Date(T0).toISOString(), levelBefore: 90, levelAfter: 5 }, 'system');
    expect(proven.flags).toEqual([]);
    expect(proven.proof).toMatchObject({ stopVehicleId: 'truck-1', levelAfter: 5 });

    const auto = await openJob('bin-auto');
    await d.jobs.recordProof(auto, { stopVehicleId: 'truck-1', stopAt: new Date(T0).toISOString(), levelBefore: 88, levelAfter: 3 }, 'system');
    const closed = await d.jobs.complete(auto, 'system');
    expect(closed).toMatchObject({ status: 'done', flags: [] });
    expect(await d.jobs.complete(auto, 'system')).toMatchObject({ status: 'done' }); // idempotent

    // Pumping also needs the disposal; a level that did not drop is no proof.
    const pump = await openJob('septic-claim', 'septic-full');
    await d.jobs.assign(pump, { unitType: 'vehicle', unitId: 'tanker-1' }, 'dora');
    await d.jobs.recordProof(pump, { stopAt: new Date(T0).toISOString(), levelBefore: 90, levelAfter: 92 }, 'system');
    const pumped = await d.jobs.transition(pump, 'done', 'driver');
    expect(pumped.flags).toEqual(['unproven']);
    expect(pumped.history!.at(-1)!.note).toMatch(/level did not drop.*disposedAt/);

    // Other job types need no proof.
    const lamp = await openJob('streetlight-8', 'lamp-failure');
    await d.jobs.assign(lamp, { unitType: 'crew', unitId: 'crew-l' }, 'dora');
    expect((await d.jobs.transition(lamp, 'done', 'lin')).flags).toEqual([]);
  });

  it('a job closed after its due time keeps an overdue flag for SLA reporting; listOpen filters by type', async () => {
    const id = await openJob('toilet-late', 'toilet-consumables'); // restock, 240 min
    await d.jobs.assign(id, { unitType: 'crew', unitId: 'crew-l' }, 'dora');
    clock.set(T0 + 300 * MIN);
    expect((await d.jobs.transition(id, 'done', 'lin')).flags).toEqual(['overdue']);
    clock.set(T0);
    const open = await d.jobs.listOpen({ types: ['collection'] });
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((j) => j.type === 'collection' && ['open', 'assigned', 'en_route', 'on_site'].includes(j.status))).toBe(true);
  });
});
