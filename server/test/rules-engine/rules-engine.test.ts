import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AcceptedReading } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { deadLamp, HOUR, litLamp, MIN, raises, raisesOf, reading, resetSeqs, startEngineApp, type EngineApp } from './engine.fixture.js';

/** 20:00 in Hangzhou on the winter solstice: dark, not yet in the part-night dimming window. */
const T0 = Date.parse('2026-12-21T20:00:00+08:00');
const HZ = { lat: 30.27, lon: 120.15 };

function feature(id: string, kind: string, lon: number, lat: number, attributes: Record<string, unknown> = {}) {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { id, kind, name: id, attributes } };
}

describe('rules engine (readings through ReadingsBus → real incident sink, ManualClock)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rules-engine-'));
  const clock = new ManualClock(T0);
  let s: EngineApp;
  const cab1 = Array.from({ length: 20 }, (_, i) => `c1-lamp-${String(i).padStart(2, '0')}`);
  const cab2 = Array.from({ length: 6 }, (_, i) => `c2-lamp-${i}`);
  const slowBin: AcceptedReading[] = [];

  beforeAll(async () => {
    resetSeqs();
    s = await startEngineApp(dataDir, clock);
    const features = [
      feature('lamp-solo', 'streetlight', HZ.lon, HZ.lat, { ratedPowerW: 100 }),
      ...cab1.map((id, i) => feature(id, 'streetlight', HZ.lon + i * 0.0003, HZ.lat, { ratedPowerW: 100, cabinetId: 'cab-1' })),
      ...cab2.map((id, i) => feature(id, 'streetlight', HZ.lon + i * 0.0003, HZ.lat + 0.01, { ratedPowerW: 100, cabinetId: 'cab-2' })),
      ...['bin-hot', 'bin-jump', 'bin-slow', 'bin-fast'].map((id) => feature(id, 'bin', HZ.lon, HZ.lat)),
      feature('truck-1', 'truck', HZ.lon, HZ.lat),
      feature('septic-1', 'septic', HZ.lon, HZ.lat),
      feature('septic-g', 'septic', HZ.lon, HZ.lat),
    ];
    const imported = await s.api('POST', '/api/devices/import', { type: 'FeatureCollection', features });
    expect(imported.body.errors).toEqual([]);
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a lamp off at night raises lamp-failure on that reading, with a lamp-repair job', async () => {
    await s.publish([reading('lamp-solo', 'streetlight', T0, litLamp())]);
    expect(raises(s.calls, 'lamp-solo')).toEqual([]);
    await s.publish([reading('lamp-solo', 'streetlight', T0 + 15 * MIN, { ...deadLamp, voltageV: 221 })]);
    expect(raises(s.calls, 'lamp-solo')).toEqual([{ op: 'raise', subject: 'lamp-solo', cause: 'lamp-failure' }]);
    const alarms = await s.api('GET', '/api/alarms?deviceId=lamp-solo');
    expect(alarms.body.items).toEqual([expect.objectContaining({ cause: 'lamp-failure', status: 'open' })]);
    const jobs = await s.api('GET', '/api/jobs?deviceId=lamp-solo');
    expect(jobs.body.items).toEqual([expect.objectContaining({ type: 'lamp-repair', cause: 'lamp-failure' })]);
  });

  it('20 lamps of one cabinet going dark together raise one cabinet-fault and no lamp failures; a lone failure on another cabinet goes out after the hold', async () => {
    await s.publish([...cab1, ...cab2].map((id) => reading(id, 'streetlight', T0 + 5 * MIN, litLamp())));
    // The feeder drops: the lamps report it one by one over six minutes.
    const outage = cab1.map((id, i) => reading(id, 'streetlight', T0 + 30 * MIN + i * 18_000, deadLamp));
    for (const r of outage) await s.publish([r]);
    await s.publish([reading(cab2[0]!, 'streetlight', T0 + 31 * MIN, deadLamp)]);
    expect(raisesOf(s.calls, 'cabinet-fault')).toEqual([{ op: 'raise', subject: 'cabinet:cab-1', cause: 'cabinet-fault' }]);

    // Next reporting round, and the scheduled check long after the hold-back: still one fault.
    clock.set(T0 + 55 * MIN);
    await s.publish(cab1.map((id) => reading(id, 'streetlight', T0 + 45 * MIN, deadLamp)));
    s.engine.runCabinetCheck(clock.now());
    await s.engine.idle();
    expect(raisesOf(s.calls, 'cabinet-fault')).toHaveLength(1);
    expect(s.calls.filter((c) => c.op === 'raise' && cab1.includes(c.subject))).toEqual([]);
    // The hold is judged in reading time: readings trailing the clock (newest T0+45) keep it held.
    expect(raises(s.calls, cab2[0]!)).toEqual([]);
    await s.publish(cab2.slice(1).map((id) => reading(id, 'streetlight', T0 + 52 * MIN, litLamp())));
    s.engine.runCabinetCheck(clock.now());
    await s.engine.idle();
    // The lone lamp on cabinet 2 was held back for its neighbours, then raised on its own.
    expect(raises(s.calls, cab2[0]!)).toEqual([{ op: 'raise', subject: cab2[0], cause: 'lamp-failure' }]);

    const faults = await s.api('GET', '/api/alarms?cause=cabinet-fault');
    expect(faults.body.items).toEqual([expect.objectContaining({ deviceId: 'cabinet:cab-1', status: 'open' })]);
    expect((await s.api('GET', '/api/jobs?type=cabinet-repair')).body.total).toBe(1);
    const lampJobs = (await s.api('GET', '/api/jobs?type=lamp-repair&limit=100')).body.items.map((j: { deviceId: string }) => j.deviceId);
    expect(lampJobs.sort()).toEqual([cab2[0], 'lamp-solo']);
  });

  it('a fire reading raises bin-fire at once (limit and jump), and replays raise nothing more', async () => {
    await s.publish([reading('bin-hot', 'bin', T0, { fillPct: 30, tempC: 22 }), reading('bin-jump', 'bin', T0, { fillPct: 30, tempC: 20 })]);
    const hot = reading('bin-hot', 'bin', T0 + 10 * MIN, { fillPct: 30, tempC: 75 });
    s.calls.length = 0;
    await s.publish([hot]);
    expect(s.calls).toEqual([{ op: 'raise', subject: 'bin-hot', cause: 'bin-fire' }]);
    await s.publish([reading('bin-jump', 'bin', T0 + 10 * MIN, { fillPct: 30, tempC: 38 })]);
    expect(raises(s.calls, 'bin-jump', 'bin-fire')).toHaveLength(1);
    await s.publish([hot, hot, reading('bin-hot', 'bin', T0 + 12 * MIN, { fillPct: 30, tempC: 80 })]);
    expect(raisesOf(s.calls, 'bin-fire')).toHaveLength(2);
    const alarm = (await s.api('GET', '/api/alarms?deviceId=bin-hot')).body.items;
    expect(alarm).toEqual([expect.objectContaining({ cause: 'bin-fire', severity: 'critical', status: 'open' })]);
  });

  it('a filling bin gets exactly one collection raise before it is full; duplicates and replays raise nothing', async () => {
    // 8 %/h from 20 %, a reading every 15 min, up to 100 %.
    for (let i = 0; i <= 40; i++) slowBin.push(reading('bin-slow', 'bin', T0 + i * 15 * MIN, { fillPct: Math.min(100, 20 + 2 * i), tempC: 20 }));
    const fillAtRaise: number[] = [];
    for (const r of slowBin) {
      const before = s.calls.length;
      await s.publish([r]);
      if (raises(s.calls.slice(before), 'bin-slow').length) fillAtRaise.push(r.values.fillPct as number);
    }
    expect(fillAtRaise).toHaveLength(1);
    expect(fillAtRaise[0]).toBeLessThan(100);
    const collection = raises(s.calls, 'bin-slow');
    expect(collection).toHaveLength(1);
    expect(['bin-full', 'bin-forecast-full']).toContain(collection[0]!.cause);

    // At-least-once delivery: everything again, and again out of order.
    await s.publish(slowBin);
    await s.publish([...slowBin].reverse());
    expect(raises(s.calls, 'bin-slow')).toHaveLength(1);
    const jobs = await s.api('GET', '/api/jobs?deviceId=bin-slow');
    expect(jobs.body.items).toEqual([expect.objectContaining({ type: 'collection', status: 'open' })]);
  });

  it('a fast-filling bin is raised by the forecast before it reaches the threshold, due before it overflows', async () => {
    let raisedAt: AcceptedReading | undefined;
    for (let i = 0; i <= 16 && !raisedAt; i++) {
      const r = reading('bin-fast', 'bin', T0 + i * 15 * MIN, { fillPct: 10 + 5 * i });
      await s.publish([r]);
      if (raises(s.calls, 'bin-fast').length) raisedAt = r;
    }
    expect(raises(s.calls, 'bin-fast')).toEqual([{ op: 'raise', subject: 'bin-fast', cause: 'bin-forecast-full' }]);
    expect(raisedAt!.values.fillPct as number).toBeLessThan(80);
    const [job] = (await s.api('GET', '/api/jobs?deviceId=bin-fast')).body.items;
    // Overflow (95 %) is predicted at 20 %/h from the fill at the raise; the job is due before that.
    const overflowAt = raisedAt!.ts + (((95 - (raisedAt!.values.fillPct as number)) / 20) * HOUR);
    expect(Date.parse(job.dueAt)).toBeLessThan(overflowAt);
  });

  it('septic gas raises the gas alarm and flags work unsafe; falling back clears both', async () => {
    await s.publish([reading('septic-g', 'septic', T0, { levelPct: 90, h2sPpm: 30, ch4PctLel: 5 })]);
    // Calls for one (subject, cause) keep their order; different causes run side by side.
    const calls = s.calls.filter((c) => c.subject === 'septic-g');
    expect(calls).toHaveLength(3);
    expect(calls).toEqual(expect.arrayContaining([{ op: 'raise', subject: 'septic-g', cause: 'septic-full' }]));
    expect(calls.filter((c) => c.cause !== 'septic-full')).toEqual([
      { op: 'raise', subject: 'septic-g', cause: 'septic-gas' },
      { op: 'unsafe', subject: 'septic-g', unsafe: true },
    ]);
    expect((await s.api('GET', '/api/jobs?deviceId=septic-g')).body.items[0]).toMatchObject({ type: 'pumping', unsafe: true });
    await s.publish([reading('septic-g', 'septic', T0 + 10 * MIN, { levelPct: 90, h2sPpm: 2, ch4PctLel: 3 })]);
    expect(s.calls.filter((c) => c.subject === 'septic-g').slice(3)).toEqual([
      { op: 'clear', subject: 'septic-g', cause: 'septic-gas' },
      { op: 'unsafe', subject: 'septic-g', unsafe: false },
    ]);
    expect((await s.api('GET', '/api/jobs?deviceId=septic-g')).body.items[0]).toMatchObject({ unsafe: false });
  });

  it('a silent device goes offline after its own learned interval, not a global timeout, and comes back', async () => {
    const start = T0 + 2 * HOUR;
    // septic-1 reports every 10 min, truck-1 every minute over the last 8 minutes.
    for (let t = start; t <= start + 80 * MIN; t += MIN) {
      clock.set(t);
      const batch: AcceptedReading[] = [];
      if ((t - start) % (10 * MIN) === 0) batch.push(reading('septic-1', 'septic', t, { levelPct: 20 }));
      if (t >= start + 72 * MIN) batch.push(reading('truck-1', 'truck', t, { lat: HZ.lat, lon: HZ.lon, speedKmh: 20 }));
      await s.publish(batch);
    }
    const truckEvents = s.events.filter((e) => e.type === 'truck');
    expect(truckEvents.at(-1)).toMatchObject({ type: 'truck', position: { deviceId: 'truck-1', lat: HZ.lat, vehicleId: null } });

    clock.set(start + 82 * MIN); // 2 min of silence: within 3 × 1 min
    s.engine.runOfflineCheck(clock.now());
    await s.engine.idle();
    expect(raises(s.calls, 'truck-1', 'offline')).toEqual([]);
    clock.set(start + 84 * MIN); // 4 min: the truck is offline; the tank (10 min interval) is not
    s.engine.runOfflineCheck(clock.now());
    await s.engine.idle();
    expect(raises(s.calls, 'truck-1', 'offline')).toHaveLength(1);
    expect(raises(s.calls, 'septic-1', 'offline')).toEqual([]);
    expect(s.events.filter((e) => e.type === 'device' && e.state.deviceId === 'truck-1').at(-1)).toMatchObject({ state: { online: false } });
    expect((await s.api('GET', '/api/alarms?deviceId=truck-1&cause=offline')).body.items).toEqual([expect.objectContaining({ status: 'open' })]);

    // Flap suppression: one return is not enough; three arrivals over ≥ 5 min clear it.
    for (const dt of [90, 93, 96]) {
      clock.set(start + dt * MIN);
      await s.publish([reading('truck-1', 'truck', clock.now(), { lat: HZ.lat, lon: HZ.lon })]);
      if (dt === 90) expect(s.calls.filter((c) => c.op === 'clear' && c.subject === 'truck-1')).toEqual([]);
    }
    expect(s.calls.filter((c) => c.op === 'clear' && c.subject === 'truck-1')).toEqual([{ op: 'clear', subject: 'truck-1', cause: 'offline' }]);
    expect((await s.api('GET', '/api/alarms?deviceId=truck-1&cause=offline')).body.items[0]).toMatchObject({ status: 'resolved' });
  });

  it('a restarted server (same database) neither re-raises open conditions nor forgets to clear them', async () => {
    await s.close();
    s = await startEngineApp(dataDir, clock);
    // The broker redelivers what the old process had not acknowledged, then new readings follow:
    // fresh to the new process, but the conditions are open in the database.
    await s.publish(slowBin.slice(-4));
    await s.publish([reading('bin-slow', 'bin', slowBin.at(-1)!.ts + 15 * MIN, { fillPct: 100 })]);
    await s.publish([reading('bin-hot', 'bin', T0 + 30 * MIN, { fillPct: 30, tempC: 85 })]);
    await s.publish(cab1.map((id) => reading(id, 'streetlight', T0 + 60 * MIN, deadLamp)));
    clock.set(clock.now() + 30 * MIN);
    s.engine.runCabinetCheck(T0 + 90 * MIN);
    await s.engine.idle();
    expect(s.calls.filter((c) => c.op === 'raise')).toEqual([]);
    expect((await s.api('GET', '/api/jobs?deviceId=bin-slow')).body.total).toBe(1);
    expect((await s.api('GET', '/api/alarms?cause=cabinet-fault')).body.total).toBe(1);

    // ...and it still knows the fire is open: cooling down clears it.
    await s.publish([reading('bin-hot', 'bin', T0 + 40 * MIN, { fillPct: 30, tempC: 21 })]);
    expect(s.calls.filter((c) => c.subject === 'bin-hot' && c.cause === 'bin-fire')).toEqual([{ op: 'clear', subject: 'bin-hot', cause: 'bin-fire' }]);
    expect((await s.api('GET', '/api/alarms?deviceId=bin-hot')).body.items[0]).toMatchObject({ status: 'resolved' });
  });
});
