import { INTERNAL_READINGS_TOPIC, type AcceptedReading, type ReadingsBatch } from '@sanitation/contracts';
import type { Client, PublishPacket, PubrelPacket } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevicesService } from '../src/devices/devices.service.js';
import { ReadingsBus } from '../src/ingest/readings.bus.js';
import { ReadingsConsumer } from '../src/ingest/readings.consumer.js';
import { startApp, type RunningApp } from './support/app.js';
import { eventually, freePort, startBroker, type TestBroker } from './support/broker.js';

describe('readings consumer against a real MQTT broker', () => {
  let port: number;
  let server: RunningApp;
  let broker: TestBroker | undefined;
  let publisher: mqtt.MqttClient;
  const received: AcceptedReading[] = [];

  beforeAll(async () => {
    // The server starts first, while no gateway listens on its port yet.
    port = await freePort();
    server = await startApp({ ADMIN_PASSWORD: 'admin-password-1', GATEWAY_MQTT_URLS: `mqtt://127.0.0.1:${port}`, LAST_SEEN_FLUSH_MS: '50' });
    server.app.get(ReadingsBus).readings$.subscribe((r) => received.push(r));
    const devices = server.app.get(DevicesService);
    await devices.register({ id: 'bin-1', kind: 'bin', name: 'Bin 1', lat: 1, lon: 2 });
    await devices.register({ id: 'light-1', kind: 'streetlight', name: 'Lamp 1', lat: 1, lon: 2 });
  });
  afterAll(async () => {
    await publisher?.endAsync();
    await server?.close();
    await broker?.close();
  });

  it('keeps retrying until the gateway comes up, then subscribes', async () => {
    const consumer = server.app.get(ReadingsConsumer);
    expect(consumer.connections()).toEqual([expect.objectContaining({ connected: false })]);
    broker = await startBroker(port);
    const subscribed = new Promise<void>((resolve) =>
      broker!.aedes.on('subscribe', (subs) => {
        if (subs.some((s) => s.topic === INTERNAL_READINGS_TOPIC)) resolve();
      }),
    );
    await subscribed;
    expect(consumer.connections()).toEqual([{ url: `mqtt://127.0.0.1:${port}`, connected: true }]);
    publisher = await mqtt.connectAsync(broker.url, { clientId: 'test-gateway', protocolVersion: 4 });
  });

  it('a ReadingsBatch updates lastSeenAt and reaches the in-process stream; garbage does not stop it', async () => {
    const consumer = server.app.get(ReadingsConsumer);
    const devices = server.app.get(DevicesService);
    expect((await devices.get('bin-1')).lastSeenAt).toBeNull();

    await publisher.publishAsync(INTERNAL_READINGS_TOPIC, 'this is not json {', { qos: 1 });
    await publisher.publishAsync(INTERNAL_READINGS_TOPIC, JSON.stringify({ gatewayId: 'gw', readings: [{ deviceId: 'bin-1' }] }), { qos: 1 });
    await eventually(() => consumer.stats.invalidPayloads === 2, 'the garbage to be counted');

    // A faulty stream subscriber (say, a broken rule) must not take the server down.
    server.app.get(ReadingsBus).readings$.subscribe(() => {
      throw new Error('broken rule');
    });
    const receivedAt = Date.parse('2026-11-27T12:00:00.000Z');
    const batch: ReadingsBatch = {
      gatewayId: 'gw-test',
      readings: [
        { deviceId: 'bin-1', kind: 'bin', ts: receivedAt - 5_000, seq: 1, values: { fillPct: 40, tilted: false }, receivedAt },
        { deviceId: 'bin-1', kind: 'bin', ts: receivedAt - 4_000, seq: 2, values: { fillPct: 41 }, receivedAt: receivedAt + 1_000 },
        { deviceId: 'light-1', kind: 'streetlight', zone: 'z1', ts: receivedAt, seq: 7, values: { lampOn: true }, receivedAt },
      ],
    };
    await publisher.publishAsync(INTERNAL_READINGS_TOPIC, JSON.stringify(batch), { qos: 1 });

    const seen = await eventually(async () => (await devices.get('bin-1')).lastSeenAt, 'bin-1 lastSeenAt');
    expect(seen).toBe(new Date(receivedAt + 1_000).toISOString());
    await eventually(async () => (await devices.get('light-1')).lastSeenAt === new Date(receivedAt).toISOString(), 'light-1 lastSeenAt');
    expect(received.map((r) => `${r.deviceId}#${r.seq}`)).toEqual(['bin-1#1', 'bin-1#2', 'light-1#7']);
    expect(consumer.stats).toMatchObject({ batches: 1, readings: 3, invalidPayloads: 2 });
    expect(consumer.connections()[0]!.connected).toBe(true);
  });

  it('acknowledges a hand-off only after the work it started has settled (a crash before that gets it again)', async () => {
    const bus = server.app.get(ReadingsBus);
    let finish!: () => void;
    const work = new Promise<void>((resolve) => (finish = resolve));
    const sub = bus.readings$.subscribe((r) => {
      if (r.seq === 100) bus.track(work); // e.g. the job this reading raises, still being committed
    });
    const acks: string[] = [];
    const onAck = (packet: PublishPacket | PubrelPacket, client: Client) => {
      if (packet.cmd === 'publish' && packet.topic === INTERNAL_READINGS_TOPIC && client.id.startsWith('server-')) acks.push(String(packet.payload));
    };
    broker!.aedes.on('ack', onAck);
    try {
      const ts = Date.parse('2026-11-27T13:00:00.000Z');
      const batch = (seq: number): ReadingsBatch => ({
        gatewayId: 'gw-test',
        readings: [{ deviceId: 'bin-1', kind: 'bin', ts: ts + seq, seq, values: { fillPct: 90 }, receivedAt: ts }],
      });
      await publisher.publishAsync(INTERNAL_READINGS_TOPIC, JSON.stringify(batch(100)), { qos: 1 });
      await publisher.publishAsync(INTERNAL_READINGS_TOPIC, JSON.stringify(batch(101)), { qos: 1 });
      await eventually(() => received.some((r) => r.seq === 100), 'the first batch to reach the stream');
      await new Promise((r) => setTimeout(r, 300));
      // Not acknowledged while its work is open, and the next batch waits behind it.
      expect(acks).toEqual([]);
      expect(received.some((r) => r.seq === 101)).toBe(false);
      finish();
      await eventually(() => acks.length === 2, 'both batches to be acknowledged');
      expect(received.filter((r) => r.seq >= 100).map((r) => r.seq)).toEqual([100, 101]);
    } finally {
      finish();
      sub.unsubscribe();
      broker!.aedes.removeListener('ack', onAck);
    }
  });

  it('tracks retained online/offline status per device and shows it on the Device', async () => {
    await publisher.publishAsync('sanitation/v1/streetlight/light-1/status', 'online', { qos: 1, retain: true });
    const devices = server.app.get(DevicesService);
    await eventually(async () => (await devices.get('light-1')).online === true, 'light-1 online');
    await publisher.publishAsync('sanitation/v1/streetlight/light-1/status', 'offline', { qos: 1, retain: true });
    await eventually(async () => (await devices.get('light-1')).online === false, 'light-1 offline');
    expect((await devices.get('bin-1')).online).toBeUndefined();
  });
});
