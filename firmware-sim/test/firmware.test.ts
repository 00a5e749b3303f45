import { afterEach, describe, expect, it } from 'vitest';
import { deviceCommandAckSchema, MAX_TELEMETRY_BATCH } from '@sanitation/contracts';
import { DeviceFirmware, type FirmwareOptions } from '../src/firmware/device-firmware.js';
import { BareBroker, waitFor } from './helpers/bare-broker.js';

const brokers: BareBroker[] = [];
const devices: DeviceFirmware[] = [];
afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.stop()));
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

function firmware(broker: BareBroker, over: Partial<FirmwareOptions> = {}): DeviceFirmware {
  const fw = new DeviceFirmware({
    deviceId: 'bin-00001',
    kind: 'bin',
    secret: 's3cret',
    mqttUrl: broker.url,
    bufferSize: 5000,
    maxBatch: 500,
    maxInflightBatches: 4,
    keepaliveS: 30,
    connectTimeoutMs: 5000,
    backoffInitialMs: 100,
    backoffMaxMs: 400,
    now: () => Date.now(),
    onCommand: () => null,
    ...over,
  });
  devices.push(fw);
  return fw;
}

const telemetrySeqs = (broker: BareBroker, suffix = '/telemetry') =>
  broker.on(suffix).flatMap((m) => {
    const body = JSON.parse(m.payload.toString()) as { seq: number } | { seq: number }[];
    return Array.isArray(body) ? body.map((r) => r.seq) : [body.seq];
  });

describe('device firmware against a bare aedes broker', () => {
  it('publishes QoS 1 telemetry, counts PUBACKs, and announces itself online (retained)', async () => {
    const broker = await new BareBroker().start();
    brokers.push(broker);
    const fw = firmware(broker);
    fw.start();
    await waitFor(() => fw.isConnected, 5000, 'connect');
    for (let i = 0; i < 10; i++) fw.record(Date.now(), { fillPct: 10 + i, tempC: 20, tilted: false, batteryPct: 90 });
    await waitFor(() => fw.counters.acked === 10, 5000, 'acks');
    expect(fw.counters.published).toBe(10);
    expect(fw.buffer.size).toBe(0);
    expect(telemetrySeqs(broker).sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    const status = broker.on('bin/bin-00001/status');
    expect(status[0]?.payload.toString()).toBe('online');
    expect(status[0]?.retain).toBe(true);
  });

  it('leaves the will "offline" (retained) when its socket dies without DISCONNECT', async () => {
    const broker = await new BareBroker().start();
    brokers.push(broker);
    const fw = firmware(broker, { deviceId: 'streetlight-00007', kind: 'streetlight' });
    fw.start();
    await waitFor(() => fw.isConnected, 5000, 'connect');
    fw.kill();
    await waitFor(() => broker.on('streetlight-00007/status').some((m) => m.payload.toString() === 'offline'), 5000, 'will');
    const will = broker.on('streetlight-00007/status').find((m) => m.payload.toString() === 'offline')!;
    expect(will.retain).toBe(true);
    // ...and it comes back on its own.
    await waitFor(() => fw.counters.connects === 2, 5000, 'reconnect');
  });

  it('keeps readings through a broker outage and flushes them as batches of ≤ 500, nothing lost or doubled', async () => {
    const broker = await new BareBroker().start();
    brokers.push(broker);
    const fw = firmware(broker);
    fw.start();
    await waitFor(() => fw.isConnected, 5000, 'connect');
    let ts = Date.parse('2026-06-01T00:00:00Z');
    for (let i = 0; i < 5; i++) fw.record((ts += 1000), { fillPct: i });
    await waitFor(() => fw.counters.acked === 5, 5000, 'first acks');

    // Three more go out just as the broker dies: their PUBACKs may never come.
    for (let i = 0; i < 3; i++) fw.record((ts += 1000), { fillPct: 50 + i });
    await broker.stop();
    await waitFor(() => !fw.isConnected, 5000, 'disconnect');
    for (let i = 0; i < 1234; i++) fw.record((ts += 1000), { fillPct: i % 100 });
    expect(fw.buffer.size).toBeGreaterThanOrEqual(1234);
    await new Promise((r) => setTimeout(r, 600)); // a few failed reconnect attempts
    await broker.restart();

    await waitFor(() => fw.counters.acked === 1242, 15_000, 'flush after outage');
    expect(fw.counters.published).toBe(1242);
    expect(fw.buffer.size).toBe(0);
    const batches = broker.on('/telemetry').map((m) => JSON.parse(m.payload.toString()) as unknown);
    const arrays = batches.filter((b): b is { seq: number }[] => Array.isArray(b));
    expect(arrays.length).toBeGreaterThanOrEqual(3); // 1234 readings cannot fit fewer batches of 500
    for (const batch of arrays) {
      expect(batch.length).toBeLessThanOrEqual(MAX_TELEMETRY_BATCH);
      const seqs = batch.map((r) => r.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    const seqs = telemetrySeqs(broker);
    expect(new Set(seqs)).toEqual(new Set([...Array(1242).keys()]));
  });

  it('batches readings produced faster than its publish interval', async () => {
    const broker = await new BareBroker().start();
    brokers.push(broker);
    const fw = firmware(broker, { deviceId: 'truck-00001', kind: 'truck', minPublishIntervalMs: 300 });
    fw.start();
    await waitFor(() => fw.isConnected, 5000, 'connect');
    for (let i = 0; i < 20; i++) fw.record(Date.now() + i, { lat: 30.27, lon: 120.15, speedKmh: 20 });
    await waitFor(() => fw.counters.acked === 20, 5000, 'acks');
    const messages = broker.on('truck-00001/telemetry');
    expect(messages.length).toBeLessThanOrEqual(3); // the first alone, the rest together
    expect(new Set(telemetrySeqs(broker, 'truck-00001/telemetry'))).toEqual(new Set([...Array(20).keys()]));
  });

  it('answers a dim command with cmd/ack', async () => {
    const broker = await new BareBroker().start();
    brokers.push(broker);
    const seen: unknown[] = [];
    const fw = firmware(broker, {
      deviceId: 'streetlight-00002',
      kind: 'streetlight',
      onCommand: (cmd) => {
        seen.push(cmd);
        return null;
      },
    });
    fw.start();
    await waitFor(() => fw.isConnected, 5000, 'connect');
    await waitFor(() => broker.received.length > 0 && fw.counters.connects === 1, 5000);
    await new Promise((r) => setTimeout(r, 100)); // SUBACK
    await broker.publish('sanitation/v1/streetlight/streetlight-00002/cmd', JSON.stringify({ cmdId: 'c-1', action: 'dim', dimPct: 30 }));
    await waitFor(() => broker.on('streetlight-00002/cmd/ack').length === 1, 5000, 'ack');
    const ack = deviceCommandAckSchema.parse(JSON.parse(broker.on('streetlight-00002/cmd/ack')[0]!.payload.toString()));
    expect(ack).toMatchObject({ cmdId: 'c-1', ok: true });
    expect(seen).toEqual([{ cmdId: 'c-1', action: 'dim', dimPct: 30 }]);
  });

  it('answers a malformed command with ok: false naming the field', async () => {
    const broker = await new BareBroker().start();
    brokers.push(broker);
    const fw = firmware(broker, { deviceId: 'bin-00003' });
    fw.start();
    await waitFor(() => fw.isConnected, 5000, 'connect');
    await new Promise((r) => setTimeout(r, 100));
    await broker.publish('sanitation/v1/bin/bin-00003/cmd', JSON.stringify({ cmdId: 'c-2', action: 'dim', dimPct: 300 }));
    await waitFor(() => broker.on('bin-00003/cmd/ack').length === 1, 5000, 'ack');
    const ack = JSON.parse(broker.on('bin-00003/cmd/ack')[0]!.payload.toString());
    expect(ack.ok).toBe(false);
    expect(ack.error).toMatch(/dimPct/);
  });
});
