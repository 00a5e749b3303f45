import { afterEach, describe, expect, it } from 'vitest';
import { parseTelemetryPayload, type DeviceKind } from '@sanitation/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulation, generateCity } from '../src/index.js';
import { BareBroker, waitFor } from './helpers/bare-broker.js';
import { ProvisioningStandIn } from './helpers/provisioning-stand-in.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Good readings per device as the broker saw them (validated with the contracts, seq-deduplicated). */
function goodSeqsByDevice(broker: BareBroker): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const m of broker.on('/telemetry')) {
    const [, , kind, id] = m.topic.split('/');
    const parsed = parseTelemetryPayload(kind as DeviceKind, m.payload);
    const set = out.get(id!) ?? new Set<number>();
    for (const r of parsed.readings) set.add(r.seq);
    out.set(id!, set);
  }
  return out;
}

describe('simulation over a bare broker', () => {
  it('2,000 devices provision, connect and report from one process; every acked reading arrived', async () => {
    const broker = await new BareBroker().start();
    cleanups.push(() => broker.stop());
    const server = await new ProvisioningStandIn('pw').start();
    cleanups.push(() => server.stop());
    const dir = await mkdtemp(join(tmpdir(), 'sim-test-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const sim = createSimulation({
      devices: 2000,
      seed: 11,
      speed: 240, // every kind reports within a few real seconds, without flooding the in-process broker
      start: Date.parse('2026-06-01T06:00:00+08:00'),
      mqttUrl: broker.url,
      serverUrl: server.url,
      adminPassword: 'pw',
      credentialsFile: join(dir, 'credentials.json'),
      connectRate: 1000,
    });
    cleanups.push(() => sim.stop());
    await sim.start();
    // Generous: the broker shares this process (and the machine may be busy with other suites).
    await waitFor(() => sim.stats().connected === 2000, 75_000, 'all 2000 connected');
    expect(broker.connectedClients).toBe(2000);
    // Every device has reported at least once (bins every 15 sim min = 0.6 s real).
    await waitFor(() => Object.values(sim.stats().perDevice).every((d) => d.acked > 0), 60_000, 'every device acked');
    const stats = await sim.stop({ drain: true, timeoutMs: 20_000 });
    expect(stats.devices).toBe(2000);
    expect(stats.buffered).toBe(0);
    expect(stats.acked).toBe(stats.published);
    const seen = goodSeqsByDevice(broker);
    for (const [id, d] of Object.entries(stats.perDevice)) {
      expect(seen.get(id)?.size, id).toBe(d.acked);
    }
    const online = new Set(broker.on('/status').filter((m) => m.payload.toString() === 'online').map((m) => m.topic));
    expect(online.size).toBe(2000);
  }, 180_000);

  it('a dim command is acknowledged and the next telemetry shows the new level', async () => {
    const broker = await new BareBroker().start();
    cleanups.push(() => broker.stop());
    // The bare broker does not authenticate; any secret will do.
    const credentials = Object.fromEntries(generateCity({ seed: 3, devices: 40 }).devices.map((d) => [d.id, 'x']));
    const sim2 = createSimulation({ devices: 40, seed: 3, speed: 60, start: Date.parse('2026-06-01T22:00:00+08:00'), mqttUrl: broker.url, credentials });
    cleanups.push(() => sim2.stop());
    await sim2.start();
    const lamp = sim2.devices.find((d) => d.kind === 'streetlight')!;
    await waitFor(() => lamp.firmware!.isConnected, 10_000, 'lamp connected');
    await new Promise((r) => setTimeout(r, 200)); // SUBACK
    const before = broker.on(`${lamp.id}/telemetry`).length;
    await broker.publish(`sanitation/v1/streetlight/${lamp.id}/cmd`, JSON.stringify({ cmdId: 'dim-1', action: 'dim', dimPct: 30 }));
    await waitFor(() => broker.on(`${lamp.id}/cmd/ack`).length === 1, 10_000, 'cmd/ack');
    expect(JSON.parse(broker.on(`${lamp.id}/cmd/ack`)[0]!.payload.toString())).toMatchObject({ cmdId: 'dim-1', ok: true });
    await waitFor(() => broker.on(`${lamp.id}/telemetry`).length > before, 10_000, 'next telemetry');
    const next = JSON.parse(broker.on(`${lamp.id}/telemetry`)[before]!.payload.toString());
    const reading = Array.isArray(next) ? next[next.length - 1] : next;
    expect(reading).toMatchObject({ lampOn: true, dimPct: 30 });
    // A bin cannot dim: it says so instead of pretending.
    const bin = sim2.devices.find((d) => d.kind === 'bin')!;
    await broker.publish(`sanitation/v1/bin/${bin.id}/cmd`, JSON.stringify({ cmdId: 'dim-2', action: 'dim', dimPct: 30 }));
    await waitFor(() => broker.on(`${bin.id}/cmd/ack`).length === 1, 10_000, 'bin ack');
    expect(JSON.parse(broker.on(`${bin.id}/cmd/ack`)[0]!.payload.toString())).toMatchObject({ cmdId: 'dim-2', ok: false });
  });

  it('a sensor-offline fault injected at runtime silences the device for its duration, then it reports again', async () => {
    const broker = await new BareBroker().start();
    cleanups.push(() => broker.stop());
    const credentials = Object.fromEntries(generateCity({ seed: 6, devices: 20 }).devices.map((d) => [d.id, 'x']));
    const sim = createSimulation({ devices: 20, seed: 6, speed: 3600, mqttUrl: broker.url, credentials });
    cleanups.push(() => sim.stop());
    await sim.start();
    const bin = sim.devices.find((d) => d.kind === 'bin')!;
    await waitFor(() => (sim.stats().perDevice[bin.id]?.acked ?? 0) >= 2, 10_000, 'bin reporting');
    const fault = sim.injectFault({ type: 'sensor-offline', targets: [bin.id], durationMs: 3_600_000 });
    const silentFrom = sim.stats().perDevice[bin.id]!.published;
    await waitFor(() => sim.clock.now() >= fault.from + 50 * 60_000, 10_000, '50 sim minutes');
    expect(sim.stats().perDevice[bin.id]!.published).toBe(silentFrom); // 3+ reports skipped
    await waitFor(() => sim.stats().perDevice[bin.id]!.published > silentFrom, 10_000, 'back after the fault');
    expect(sim.clock.now()).toBeGreaterThanOrEqual(fault.until);
  });

  it('garbage payloads are sent and counted apart; acked counts only good readings', async () => {
    const broker = await new BareBroker().start();
    cleanups.push(() => broker.stop());
    const credentials = Object.fromEntries(generateCity({ seed: 5, devices: 30 }).devices.map((d) => [d.id, 'x']));
    const sim = createSimulation({ devices: 30, seed: 5, speed: 3600, mqttUrl: broker.url, credentials, garbageEvery: 1, faults: [{ type: 'garbage', count: 3 }] });
    cleanups.push(() => sim.stop());
    await sim.start();
    const garbageIds = sim.activeFaults()[0]!.deviceIds;
    await waitFor(() => garbageIds.every((id) => sim.stats().perDevice[id]!.garbageSent >= 4), 20_000, 'garbage sent');
    const stats = await sim.stop({ drain: true, timeoutMs: 10_000 });
    const seen = goodSeqsByDevice(broker);
    let rejected = 0;
    for (const m of broker.on('/telemetry')) rejected += parseTelemetryPayload(m.topic.split('/')[2] as DeviceKind, m.payload).rejections.length;
    expect(rejected).toBeGreaterThanOrEqual(12);
    for (const id of garbageIds) {
      const d = stats.perDevice[id]!;
      expect(d.garbageSent).toBeGreaterThanOrEqual(4);
      expect(seen.get(id)?.size ?? 0).toBe(d.acked); // bad ones never counted as acked
    }
  });
});
