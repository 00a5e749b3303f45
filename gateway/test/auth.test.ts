import { deviceTopic } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import {
  connect,
  deviceClient,
  eventually,
  getStats,
  influxRows,
  INTERNAL_TOKEN,
  publish,
  type TestDevice,
  useTestGateway,
} from './helpers.js';

function connackCode(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

describe('broker authentication and topic rules', () => {
  let a: TestDevice;
  let b: TestDevice;
  const t = useTestGateway('auth', {
    devices: (stub) => {
      a = stub.add('bin-a', 'bin');
      b = stub.add('bin-b', 'bin');
    },
  });
  const { db } = t;

  it('refuses a wrong password with CONNACK 4', async () => {
    const err = await deviceClient(t.gw.mqttPort, { ...a, secret: 'wrong' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(connackCode(err)).toBe(4);
  });

  it('refuses an unknown device', async () => {
    const err = await connect(t.gw.mqttPort, { username: 'bin-nobody', password: 'x' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect([4, 5]).toContain(connackCode(err));
  });

  it('refuses a wrong service token', async () => {
    const err = await connect(t.gw.mqttPort, { username: '$svc:server', password: 'not-the-token' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(connackCode(err)).toBe(4);
  });

  it('disconnects a device publishing under another device id, and stores nothing', async () => {
    const client = await deviceClient(t.gw.mqttPort, a);
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    client.publish(deviceTopic('bin', b.deviceId, 'telemetry'), JSON.stringify({ ts: Date.now(), seq: 1, fillPct: 1 }), { qos: 1 });
    await closed;
    client.end(true);
    expect(await influxRows(db, 'bin', b.deviceId)).toHaveLength(0);
  });

  it('refuses a device publishing under another kind or to its own cmd', async () => {
    for (const topic of [deviceTopic('truck', a.deviceId, 'telemetry'), deviceTopic('bin', a.deviceId, 'cmd')]) {
      const client = await deviceClient(t.gw.mqttPort, a);
      const closed = new Promise<void>((r) => client.once('close', () => r()));
      client.publish(topic, '{}', { qos: 1 });
      await closed;
      client.end(true);
    }
  });

  it('refuses $SYS publishes from devices', async () => {
    const client = await deviceClient(t.gw.mqttPort, a);
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    client.publish('$SYS/broker/fake', 'x', { qos: 1 });
    await closed;
    client.end(true);
  });

  it("lets a device subscribe to its own cmd only (SUBACK 0x80 for another's)", async () => {
    const client = await deviceClient(t.gw.mqttPort, a);
    // Read the SUBACK itself: MQTT.js reports a refusal as an error without the codes.
    const suback = new Promise<number[]>((resolve) =>
      client.on('packetreceive', (p) => {
        if (p.cmd === 'suback') resolve((p as { granted: number[] }).granted);
      }),
    );
    client.subscribe([deviceTopic('bin', a.deviceId, 'cmd'), deviceTopic('bin', b.deviceId, 'cmd'), 'sanitation/#'], { qos: 1 }, () => {});
    const granted = await suback;
    client.end(true);
    expect(granted).toEqual([1, 128, 128]);
  });

  it('delivers a server command to the device and the ack to the server', async () => {
    const device = await deviceClient(t.gw.mqttPort, a);
    const server = await connect(t.gw.mqttPort, { username: '$svc:server', password: INTERNAL_TOKEN });
    await new Promise((r) => device.subscribe(deviceTopic('bin', a.deviceId, 'cmd'), { qos: 1 }, r));
    await new Promise((r) => server.subscribe('sanitation/v1/+/+/cmd/ack', { qos: 1 }, r));
    const cmd = new Promise<string>((r) => device.on('message', (_t, p) => r(p.toString())));
    const ack = new Promise<string>((r) => server.on('message', (_t, p) => r(p.toString())));
    await publish(server, deviceTopic('bin', a.deviceId, 'cmd'), JSON.stringify({ cmdId: 'c1', action: 'ping' }));
    expect(JSON.parse(await cmd)).toEqual({ cmdId: 'c1', action: 'ping' });
    await publish(device, deviceTopic('bin', a.deviceId, 'cmd/ack'), JSON.stringify({ cmdId: 'c1', ok: true, ts: Date.now() }));
    expect(JSON.parse(await ack)).toMatchObject({ cmdId: 'c1', ok: true });
    device.end(true);
    server.end(true);
  });

  it('disconnects a revoked device within seconds and refuses it afterwards', async () => {
    const victim = t.stub.add('bin-revoked', 'bin');
    await eventually(async () => {
      const c = await deviceClient(t.gw.mqttPort, victim).catch(() => null);
      c?.end(true);
      return c !== null;
    });
    const client = await deviceClient(t.gw.mqttPort, victim, { clientId: 'victim' });
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    t.stub.revoke(victim.deviceId);
    await closed; // the test timeout bounds "within seconds"
    client.end(true);
    const err = await deviceClient(t.gw.mqttPort, victim).then(
      () => null,
      (e: unknown) => e,
    );
    expect(connackCode(err)).toBe(5);
  });

  it('keeps the last credentials while the server is unreachable', async () => {
    t.stub.down = true;
    try {
      const polls = t.stub.requests;
      await eventually(() => t.stub.requests > polls + 1); // the gateway kept polling and failing
      await eventually(async () => (await getStats(t.gw.httpPort)).credentials.lastError !== null);
      const client = await deviceClient(t.gw.mqttPort, a);
      client.end(true);
    } finally {
      t.stub.down = false;
    }
    await eventually(async () => (await getStats(t.gw.httpPort)).credentials.lastError === null);
  });

  it("publishes a device's will (status offline) when it drops, and keeps status retained", async () => {
    const statusTopic = deviceTopic('bin', b.deviceId, 'status');
    const device = await deviceClient(t.gw.mqttPort, b, { will: { topic: statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true } });
    await new Promise<void>((r, j) => device.publish(statusTopic, 'online', { qos: 1, retain: true }, (e) => (e ? j(e) : r())));
    const server = await connect(t.gw.mqttPort, { username: '$svc:server', password: INTERNAL_TOKEN });
    const seen: string[] = [];
    server.on('message', (_t, p) => seen.push(p.toString()));
    await new Promise((r) => server.subscribe(statusTopic, { qos: 1 }, r));
    await eventually(() => seen.includes('online')); // the retained status
    (device as unknown as { stream: { destroy(): void } }).stream.destroy(); // drop without DISCONNECT
    await eventually(() => seen.includes('offline'));
    device.end(true);
    server.end(true);
  });
});
