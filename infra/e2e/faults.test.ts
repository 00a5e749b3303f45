/**
 * Fault tests: InfluxDB stopped for 60 s while 1,000 devices publish, then the gateway killed with
 * SIGKILL and restarted. Afterwards every acknowledged reading is in InfluxDB exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulation, type SimStats } from '@sanitation/firmware-sim';
import { startStack, waitFor, type Stack } from './stack.js';
import { awaitExactlyOnce } from './influx-counts.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InfluxDB outage and gateway crash under load', () => {
  let stack: Stack;
  let stats: SimStats;
  let ackedDuringOutage = 0;

  beforeAll(async () => {
    stack = await startStack();
    const sim = createSimulation({
      ...stack.simConnection(),
      devices: 1000,
      seed: 11,
      speed: 600,
      start: Date.UTC(2026, 10, 26, 22, 0, 0),
    });
    await sim.start();
    await waitFor('all devices connected', async () => (sim.stats().connected === 1000 ? true : undefined), 60_000, 250);
    await sleep(5_000);

    await stack.stopInflux();
    const before = sim.stats().acked;
    await sleep(60_000);
    ackedDuringOutage = sim.stats().acked - before;
    await stack.startInflux();
    await sleep(5_000);

    await stack.killGateway('SIGKILL');
    await sleep(3_000);
    await stack.startGateway();
    await waitFor('devices to reconnect', async () => (sim.stats().connected === 1000 ? true : undefined), 120_000, 250);
    await sleep(10_000);
    stats = await sim.stop({ drain: true, timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps acknowledging while InfluxDB is down (the spool holds the readings)', () => {
    expect(ackedDuringOutage).toBeGreaterThan(1000);
    expect(stats.buffered).toBe(0);
  });

  it('has every acknowledged reading in InfluxDB exactly once afterwards', async () => {
    const expected = new Map(Object.entries(stats.perDevice).map(([id, d]) => [id, d.acked]));
    const diff = await awaitExactlyOnce(stack, expected, 180_000);
    expect(diff.slice(0, 20)).toEqual([]);
  });
});
