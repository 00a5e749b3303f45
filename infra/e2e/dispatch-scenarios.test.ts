/**
 * Issue 3's "done when", end to end: the simulator drives the real gateway (300 devices, 1440×:
 * a sim hour every 2.5 s) while the server runs on the same simulated clock; outcomes are read
 * through the API and the live socket, as a dispatcher would see them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CABINET_SUBJECT_PREFIX, OPEN_JOB_STATUSES, type Job } from '@sanitation/contracts';
import { createSimulation, type Simulation } from '@sanitation/firmware-sim';
import { startStack, waitFor, type Stack } from './stack.js';
import { connectLive, login, type LiveRecorder } from './live-client.js';
import { DispatchApi } from './dispatch-api.js';
import { localHour, pickActors, type ScenarioActors } from './scenario-city.js';

const HOUR = 3_600_000;
const SPEED = 1440;
const START = Date.parse('2026-11-27T01:00:00+08:00'); // night in Hangzhou; trucks start ~05:30
const CREW_PASSWORD = 'crew-password-e2e';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isOpen = (j: Job) => OPEN_JOB_STATUSES.includes(j.status);

describe('dispatch scenarios on the real gateway, server and simulator', () => {
  let stack: Stack;
  let sim: Simulation;
  let api: DispatchApi;
  let live: LiveRecorder;
  let actors: ScenarioActors;
  /** Lets `simMs` of sim time pass (`why` says what for, in the code). */
  const simWait = (_why: string, simMs: number) => sleep(simMs / SPEED);

  beforeAll(async () => {
    // The lead leaves time to start the stack and provision before sim time reaches START (both
    // clocks share the anchor); on a loaded machine the stack alone can take 40 s.
    stack = await startStack({ clock: { start: START, speed: SPEED, leadMs: 75_000 }, logLevel: 'info' });
    sim = createSimulation({
      ...stack.simConnection(),
      devices: 300,
      seed: 42,
      speed: SPEED,
      start: START,
      // Trucks and tankers wait until a bin/tank is nearly full, so the job exists before they come.
      collectAtPct: 90,
      pumpAtPct: 90,
      crewPassword: CREW_PASSWORD,
    });
    actors = pickActors(sim);
    await sim.start();
    const lateMs = stack.simNow() - START;
    if (lateMs > HOUR) throw new Error(`the stack started ${lateMs / SPEED} ms after the clock anchor: raise leadMs`);
    api = new DispatchApi(stack.serverUrl, await stack.token());
    const b = sim.city.bounds;
    live = await connectLive(stack.serverUrl, await stack.token(), { bbox: [b.minLon, b.minLat, b.maxLon, b.maxLat] }, 30_000);
    await waitFor('all devices connected', async () => (sim.stats().connected === 300 ? true : undefined), 60_000, 250);
    // Faults start once sim time reaches START (the anchor), so every one lies on the scenario's timeline.
    await sleep(Math.max(0, stack.clock!.anchor - Date.now()));
    sim.injectFault({ type: 'fast-fill', ratePctH: 30, durationMs: 3 * HOUR, targets: [actors.fillBin, actors.goodTank, actors.badTank] });
    sim.injectFault({ type: 'skip-disposal', targets: [actors.badTanker] });
    process.stdout.write(`scenario: sim time ${new Date(stack.simNow()).toISOString()} at start, actors ${JSON.stringify(actors)}\n`);
  });

  afterAll(async () => {
    live?.close();
    await sim?.stop({ drain: false });
    await stack?.stop();
  });

  it('a lamp failing at night gets one lamp-repair work order, for the lighting crew', async () => {
    await api.send('PUT', '/api/vehicles/auto-assign', { lighting: true });
    expect(localHour(stack.simNow()) < 5.5 || localHour(stack.simNow()) > 18).toBe(true); // dark
    sim.injectFault({ type: 'lamp-failure', targets: [actors.lamp] });
    const event = await live.waitFor('job:changed', (j) => j.deviceId === actors.lamp && j.type === 'lamp-repair', 60_000);
    await simWait('later readings of the failed lamp', 2 * HOUR);
    const jobs = await api.jobs({ deviceId: actors.lamp, type: 'lamp-repair' });
    expect(jobs.map((j) => j.jobId)).toEqual([event.data.jobId]);
    // The crew's own login sees it (assigned automatically, or by the dispatcher if not).
    let job = jobs[0]!;
    process.stdout.write(`lamp-repair job ${job.jobId}: ${job.assignee ? `auto-assigned to ${job.assignee.unitId}` : 'not auto-assigned; the dispatcher assigns it'}\n`);
    if (!job.assignee) job = await api.send<Job>('POST', `/api/jobs/${job.jobId}/assign`, { unitType: 'crew', unitId: 'crew-lighting-1' });
    expect(job.assignee).toMatchObject({ unitType: 'crew', unitId: 'crew-lighting-1' });
    const crew = new DispatchApi(stack.serverUrl, await login(stack.serverUrl, 'lighting-1', CREW_PASSWORD));
    const seen = await crew.jobs({ type: 'lamp-repair' });
    expect(seen.filter((j) => j.deviceId === actors.lamp).map((j) => j.jobId)).toEqual([job.jobId]);
  });

  it('a cabinet outage gets one cabinet-repair work order, not one per lamp', async () => {
    sim.injectFault({ type: 'cabinet-outage', targets: [actors.cabinet] });
    const subject = `${CABINET_SUBJECT_PREFIX}${actors.cabinet}`;
    await live.waitFor('job:changed', (j) => j.deviceId === subject && j.type === 'cabinet-repair', 60_000);
    await simWait('the rest of the cabinet to report', 2 * HOUR);
    expect(await api.jobs({ deviceId: subject, type: 'cabinet-repair' })).toHaveLength(1);
    const lampJobs = (await api.jobs({ type: 'lamp-repair' })).filter((j) => actors.cabinetLamps.includes(j.deviceId));
    expect(lampJobs.map((j) => j.deviceId)).toEqual([]);
  });

  it('a bin fire raises a critical alarm on the socket within a second of the reading', async () => {
    sim.injectFault({ type: 'bin-fire', targets: [actors.fireBin] });
    const sentAt = Date.now();
    sim.reportNow(actors.fireBin);
    const event = await live.waitFor('alarm:changed', (a) => a.deviceId === actors.fireBin && a.cause === 'bin-fire', 30_000);
    const delay = event.at - sentAt;
    process.stdout.write(`bin fire: reading → alarm on the socket in ${delay} ms\n`);
    expect(event.data.severity).toBe('critical');
    expect(delay).toBeLessThanOrEqual(1_000);
    const alarms = await api.alarms({ deviceId: actors.fireBin, cause: 'bin-fire' });
    expect(alarms).toHaveLength(1);
  });

  it('a bin filling up gets exactly one collection job, created before it is full', async () => {
    const event = await live.waitFor('job:changed', (j) => j.deviceId === actors.fillBin && j.type === 'collection', 120_000);
    const createdAt = Date.parse(event.data.createdAt);
    const readings = await stack.influxQuery(`SELECT fillPct FROM bin WHERE deviceId = '${actors.fillBin}' AND time <= ${createdAt}ms`);
    const fills = (readings[0]?.values ?? []).map((v) => v[1] as number);
    expect(fills.length).toBeGreaterThan(0);
    expect(Math.max(...fills)).toBeLessThan(100);
    const jobs = await api.jobs({ deviceId: actors.fillBin, type: 'collection' });
    expect(jobs.map((j) => j.jobId)).toEqual([event.data.jobId]);
  });

  it('a truck emptying the bin closes its collection job on its own, with proof', async () => {
    const done = await live.waitFor('job:changed', (j) => j.deviceId === actors.fillBin && j.type === 'collection' && j.status === 'done', 120_000);
    expect(done.data.proof?.stopVehicleId).toBeTruthy();
    expect(done.data.flags).not.toContain('unproven');
    const truck = sim.city.devices.find((d) => d.id === done.data.proof!.stopVehicleId || d.id === done.data.assignee?.unitId);
    expect(truck?.attributes['vehicleType']).toBe('collection');
  });

  it('a tanker that pumps and unloads at the disposal site closes the pumping job with custody proof', async () => {
    const done = await live.waitFor('job:changed', (j) => j.deviceId === actors.goodTank && j.type === 'pumping' && j.status === 'done', 150_000);
    expect(done.data.proof?.disposalSiteId).toBe(sim.city.disposalSites[0]!.id);
    expect(done.data.flags).not.toContain('unproven');
    expect(await api.alarms({ deviceId: actors.goodTanker, cause: 'custody-breach' })).toEqual([]);
  });

  it('a tanker that never reaches a disposal site raises the custody-breach alarm', async () => {
    const event = await live.waitFor('alarm:changed', (a) => a.deviceId === actors.badTanker && a.cause === 'custody-breach', 150_000);
    expect(event.data.status).toBe('open');
    expect(await api.alarms({ deviceId: actors.badTanker, cause: 'custody-breach' })).toHaveLength(1);
  });

  it('killing the server mid-scenario and restarting it creates no duplicate job and loses none', async () => {
    // Bins about to cross the threshold while the server is down and while it restarts.
    const { world } = sim;
    const busy = new Set((await api.jobs({ type: 'collection' })).filter(isOpen).map((j) => j.deviceId));
    const rising = sim.city.devices
      .filter((d) => d.kind === 'bin' && !busy.has(d.id) && d.id !== actors.fillBin && d.id !== actors.fireBin)
      .filter((d) => {
        const rt = world.get(d.id);
        return rt.kind === 'bin' && rt.state.fillPct < 60;
      })
      .slice(0, 8)
      .map((d) => d.id);
    sim.injectFault({ type: 'fast-fill', targets: rising, ratePctH: 60, durationMs: 2 * HOUR });
    await simWait('the first of them to near the threshold', 0.5 * HOUR);
    const before = await api.jobs({});
    await stack.killServer('SIGKILL');
    await sleep(2_000);
    await stack.startServer();
    await simWait('all of them to cross and be handled', 2.5 * HOUR);
    const cutoff = stack.simNow() - HOUR;
    const series = await stack.influxQuery(`SELECT max(fillPct) FROM bin WHERE time <= ${cutoff}ms GROUP BY deviceId`);
    const crossed = series.filter((s) => (s.values[0]?.[1] as number) >= 85).map((s) => s.tags!['deviceId']!);
    for (const id of rising) expect(crossed, `${id} crossed`).toContain(id);

    // The restarted server works through the readings queued for it while it was down; every
    // crossing must end up as a job (none lost), however long that backlog takes on a busy machine.
    let all: Awaited<ReturnType<typeof api.jobs>> = [];
    let missing: string[] = [];
    const deadline = Date.now() + 90_000;
    do {
      all = await api.jobs({});
      const collected = new Set(all.filter((j) => j.type === 'collection').map((j) => j.deviceId));
      missing = crossed.filter((id) => !collected.has(id));
      if (missing.length) await sleep(1_000);
    } while (missing.length && Date.now() < deadline);
    expect(missing, 'bins that crossed the threshold but have no collection job').toEqual([]);

    const ids = new Set(all.map((j) => j.jobId));
    expect(before.filter((j) => !ids.has(j.jobId)).map((j) => j.jobId)).toEqual([]);
    const openPerKey = new Map<string, number>();
    for (const j of all.filter(isOpen)) openPerKey.set(`${j.deviceId}|${j.type}`, (openPerKey.get(`${j.deviceId}|${j.type}`) ?? 0) + 1);
    expect([...openPerKey].filter(([, n]) => n > 1)).toEqual([]);
  });
});
