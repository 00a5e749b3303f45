import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { SchedulerRunner } from '../../src/scheduler/scheduler.runner.js';
import { HOUR, MIN, raises, reading, resetSeqs, startEngineApp, type EngineApp } from './engine.fixture.js';

const T0 = Date.parse('2026-11-27T09:00:00+08:00');

describe('rules engine: toilets, per-device thresholds, scheduled checks, live events', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rules-engine-kinds-'));
  const clock = new ManualClock(T0);
  let s: EngineApp;

  beforeAll(async () => {
    resetSeqs();
    s = await startEngineApp(dataDir, clock);
    for (const [id, kind] of [
      ['wc-1', 'toilet'],
      ['wc-2', 'toilet'],
      ['bin-a', 'bin'],
      ['bin-b', 'bin'],
      ['bin-quiet', 'bin'],
    ] as const) {
      expect((await s.api('POST', '/api/devices', { id, kind, name: id, lat: 30.27, lon: 120.15, zone: 'z1' })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('toilet: visits add up across readings (a redelivered reading counts once), a cleaning resets them', async () => {
    await s.api('PUT', '/api/rules/toilet', { visitsPerCleaning: 100 });
    const first = reading('wc-1', 'toilet', T0, { visits: 60, paperPct: 80, soapPct: 80, nh3Ppm: 1 });
    await s.publish([first, first, first]);
    expect(raises(s.calls, 'wc-1')).toEqual([]);
    await s.publish([reading('wc-1', 'toilet', T0 + 15 * MIN, { visits: 45, paperPct: 70, soapPct: 75, nh3Ppm: 2 })]);
    expect(raises(s.calls, 'wc-1')).toEqual([{ op: 'raise', subject: 'wc-1', cause: 'toilet-visits' }]);
    expect((await s.api('GET', '/api/jobs?deviceId=wc-1')).body.items).toEqual([expect.objectContaining({ type: 'cleaning', cause: 'toilet-visits' })]);
    // The cleaner restocks: paper and soap jump back up.
    await s.publish([reading('wc-1', 'toilet', T0 + 30 * MIN, { visits: 5, paperPct: 100, soapPct: 100, nh3Ppm: 0.5 })]);
    expect(s.calls.filter((c) => c.op === 'clear' && c.subject === 'wc-1')).toEqual([{ op: 'clear', subject: 'wc-1', cause: 'toilet-visits' }]);
  });

  it('toilet: odour, consumables and a leak each raise once and clear with hysteresis', async () => {
    const at = (m: number) => T0 + m * MIN;
    await s.publish([reading('wc-2', 'toilet', at(0), { nh3Ppm: 12, h2sPpm: 0.2, paperPct: 10, soapPct: 60, waterLeak: true })]);
    await s.publish([reading('wc-2', 'toilet', at(15), { nh3Ppm: 7, h2sPpm: 0.2, paperPct: 30, soapPct: 60, waterLeak: true })]); // inside the bands
    expect(raises(s.calls, 'wc-2').map((c) => c.cause).sort()).toEqual(['toilet-consumables', 'toilet-leak', 'toilet-odour']);
    expect(s.calls.filter((c) => c.op === 'clear' && c.subject === 'wc-2')).toEqual([]);
    await s.publish([reading('wc-2', 'toilet', at(30), { nh3Ppm: 3, h2sPpm: 0.2, paperPct: 100, soapPct: 100, waterLeak: false })]);
    expect(s.calls.filter((c) => c.op === 'clear' && c.subject === 'wc-2').map((c) => c.cause).sort()).toEqual(['toilet-consumables', 'toilet-leak', 'toilet-odour']);
    const jobs = (await s.api('GET', '/api/jobs?deviceId=wc-2&limit=10')).body.items.map((j: { type: string }) => j.type).sort();
    expect(jobs).toEqual(['cleaning', 'restock', 'toilet-repair']);
  });

  it('a device override changes what the engine raises, without a restart', async () => {
    expect((await s.api('PUT', '/api/rules/bin/devices/bin-a', { fireTempC: 90, fireJumpC: 100 })).status).toBe(200);
    await s.publish([reading('bin-a', 'bin', T0, { tempC: 70 }), reading('bin-b', 'bin', T0, { tempC: 70 })]);
    expect(raises(s.calls, 'bin-a')).toEqual([]);
    expect(raises(s.calls, 'bin-b')).toEqual([{ op: 'raise', subject: 'bin-b', cause: 'bin-fire' }]);
    // Zone override of the collection threshold for z1; bin-a has its own.
    await s.api('PUT', '/api/rules/bin/zones/z1', { fullPct: 60, clearPct: 30 });
    await s.publish([reading('bin-a', 'bin', T0 + MIN, { fillPct: 65 }), reading('bin-b', 'bin', T0 + MIN, { fillPct: 65 })]);
    expect(raises(s.calls, 'bin-b', 'bin-full')).toHaveLength(1);
    expect(raises(s.calls, 'bin-a', 'bin-full')).toHaveLength(1);
  });

  it('the scheduler runs the engine\'s registered tasks under their lease (offline by learned interval)', async () => {
    const runner = s.app.get(SchedulerRunner);
    for (let i = 0; i < 8; i++) {
      clock.set(T0 + HOUR + i * 5 * MIN);
      await s.publish([reading('bin-quiet', 'bin', clock.now(), { fillPct: 10 })]);
    }
    clock.set(T0 + HOUR + 35 * MIN + 10 * MIN); // 10 min silent: within 3 × 5 min
    expect(await runner.runNow('offline-detection')).toBe(true);
    await s.engine.idle();
    expect(raises(s.calls, 'bin-quiet', 'offline')).toEqual([]);
    clock.set(T0 + HOUR + 35 * MIN + 20 * MIN); // 20 min: offline
    expect(await runner.runNow('offline-detection')).toBe(true);
    expect(await runner.runNow('cabinet-aggregation')).toBe(true);
    expect(await runner.runNow('forecasts')).toBe(true);
    await s.engine.idle();
    expect(raises(s.calls, 'bin-quiet', 'offline')).toHaveLength(1);
  });

  it('every fresh reading goes to the live map as a device state; stale and duplicate ones do not', async () => {
    s.events.length = 0;
    const r = reading('bin-b', 'bin', T0 + 2 * HOUR, { fillPct: 20, tempC: 20 });
    await s.publish([r, r, reading('bin-b', 'bin', T0 + HOUR, { fillPct: 99 })]);
    const states = s.events.filter((e) => e.type === 'device' && e.state.deviceId === 'bin-b');
    expect(states).toEqual([
      { type: 'device', state: { deviceId: 'bin-b', kind: 'bin', zone: 'z1', lat: 30.27, lon: 120.15, ts: r.ts, values: { fillPct: 20, tempC: 20 }, online: true } },
    ]);
    expect(s.engine.stats.duplicates).toBeGreaterThanOrEqual(1);
    expect(s.engine.stats.stale).toBeGreaterThanOrEqual(1);
  });
});
