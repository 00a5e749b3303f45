/**
 * The first "done when": the simulator drives 1,000 devices of all kinds for a simulated
 * day through the real gateway; every acknowledged reading is in InfluxDB exactly once, and every
 * rejected one is counted with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulation, type SimStats } from '@sanitation/firmware-sim';
import { startStack, waitFor, type Stack } from './stack.js';
import { awaitExactlyOnce } from './influx-counts.js';

const DAY_MS = 86_400_000;
const DEVICES = 1000;

describe('a simulated day of 1,000 devices', () => {
  let stack: Stack;
  let stats: SimStats;
  /** Wall-clock time well after every device connected (and announced `online`). */
  let afterConnect: number;

  beforeAll(async () => {
    stack = await startStack();
    const sim = createSimulation({
      ...stack.simConnection(),
      devices: DEVICES,
      seed: 7,
      speed: 1440, // one simulated day in one real minute
      start: Date.UTC(2026, 10, 26, 16, 0, 0), // midnight in Hangzhou
      durationMs: DAY_MS,
      faults: [{ type: 'garbage', count: 25 }],
    });
    await sim.start();
    await waitFor('all devices connected', async () => (sim.stats().connected === DEVICES ? true : undefined), 120_000, 250);
    afterConnect = Date.now() + 5_000;
    await waitFor('the simulated day to pass', async () => (sim.stats().simElapsedMs >= DAY_MS ? true : undefined), 300_000, 500);
    stats = await sim.stop({ drain: true, timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('acknowledges readings from every device of every kind', () => {
    expect(Object.keys(stats.perDevice)).toHaveLength(DEVICES);
    const kinds = new Set(Object.values(stats.perDevice).map((d) => d.kind));
    expect([...kinds].sort()).toEqual(['bin', 'septic', 'streetlight', 'toilet', 'truck']);
    expect(stats.buffered).toBe(0);
    for (const [id, d] of Object.entries(stats.perDevice)) expect(d.acked, id).toBeGreaterThan(0);
  });

  it('stores every acknowledged reading in InfluxDB exactly once', async () => {
    const expected = new Map(Object.entries(stats.perDevice).map(([id, d]) => [id, d.acked]));
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(DEVICES * 24); // at least hourly from everyone over a day
    const diff = await awaitExactlyOnce(stack, expected, 120_000);
    expect(diff.slice(0, 20)).toEqual([]);
  });

  it('counts every rejected payload by device and reason', async () => {
    const gw = await stack.gatewayStats();
    const garbageDevices = Object.entries(stats.perDevice).filter(([, d]) => d.garbageSent > 0);
    expect(garbageDevices.length).toBeGreaterThan(0);
    for (const [id, d] of garbageDevices) {
      const byReason = gw.rejected.byDevice[id] ?? {};
      const counted = Object.values(byReason).reduce((a, b) => a + b, 0);
      expect(counted, `${id} rejections ${JSON.stringify(byReason)}`).toBe(d.garbageSent);
      for (const reason of Object.keys(byReason)) expect(['malformed_json', 'wrong_type', 'out_of_range', 'batch_too_large']).toContain(reason);
    }
    // Devices that sent only good readings have nothing rejected.
    const clean = Object.keys(gw.rejected.byDevice).filter((id) => !stats.perDevice[id]?.garbageSent);
    expect(clean).toEqual([]);
    const sent = garbageDevices.reduce((a, [, d]) => a + d.garbageSent, 0);
    expect(gw.rejected.total).toBe(sent);
  });

  it('hands accepted readings to the core server', async () => {
    const token = await stack.token();
    const res = await fetch(`${stack.serverUrl}/api/devices?limit=1000`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { deviceId: string; lastSeenAt: string | null }[]; total: number };
    expect(body.total).toBe(DEVICES);
    // The retained `online` status also counts as a sighting, but only at connect: a sighting
    // after that can only come from readings handed over on $internal/v1/readings.
    const unseen = body.items.filter((d) => d.lastSeenAt === null || Date.parse(d.lastSeenAt) <= afterConnect).map((d) => d.deviceId);
    expect(unseen).toEqual([]);
  });
});
