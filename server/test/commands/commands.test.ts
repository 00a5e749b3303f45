import { deviceCommandSchema, type DeviceCommand, type LoginResponse } from '@sanitation/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { CommandsService } from '../../src/commands/commands.service.js';
import { DevicesService } from '../../src/devices/devices.service.js';
import { ReadingsConsumer } from '../../src/ingest/readings.consumer.js';
import { call, startApp, type RunningApp } from '../support/app.js';
import { eventually, startBroker, type TestBroker } from '../support/broker.js';

const ADMIN_PASSWORD = 'admin-password-1';
const T0 = Date.parse('2026-11-27T20:00:00.000Z');
const LAMP_CMD = 'sanitation/v1/streetlight/light-1/cmd';
const LAMP_ACK = 'sanitation/v1/streetlight/light-1/cmd/ack';

describe('device commands through a real broker to a real MQTT client lamp', () => {
  let broker: TestBroker;
  let server: RunningApp;
  let lamp: mqtt.MqttClient;
  let admin: string;
  let crew: string;
  let viewer: string;
  const clock = new ManualClock(T0);
  /** What the lamp answers: ok, an error text, or nothing at all. */
  let answer: { ok: true } | { ok: false; error: string } | null = { ok: true };
  const receivedByLamp: DeviceCommand[] = [];

  beforeAll(async () => {
    broker = await startBroker();
    server = await startApp({ ADMIN_PASSWORD, GATEWAY_MQTT_URLS: broker.url }, { clock });
    const devices = server.app.get(DevicesService);
    await devices.register({ id: 'light-1', kind: 'streetlight', name: 'Lamp 1', lat: 1, lon: 2 });
    await devices.register({ id: 'light-2', kind: 'streetlight', name: 'Lamp 2 (silent)', lat: 1, lon: 2 });
    await devices.register({ id: 'bin-1', kind: 'bin', name: 'Bin 1', lat: 1, lon: 2 });
    await eventually(() => server.app.get(ReadingsConsumer).connections()[0]?.connected, 'the server to connect to the broker');

    const login = async (username: string, password: string) =>
      (await call<LoginResponse>(server.baseUrl, 'POST', '/api/auth/login', { body: { username, password } })).body.token;
    admin = await login('admin', ADMIN_PASSWORD);
    for (const [username, role] of [['carl', 'crew'], ['vera', 'viewer']] as const) {
      const created = await call(server.baseUrl, 'POST', '/api/auth/operators', { token: admin, body: { username, password: `${username}-pass-1`, role } });
      expect(created.status).toBe(201);
    }
    crew = await login('carl', 'carl-pass-1');
    viewer = await login('vera', 'vera-pass-1');

    lamp = await mqtt.connectAsync(broker.url, { clientId: 'light-1', protocolVersion: 4 });
    lamp.on('message', (topic, payload) => {
      if (topic !== LAMP_CMD) return;
      const cmd = deviceCommandSchema.parse(JSON.parse(payload.toString('utf8')));
      receivedByLamp.push(cmd);
      if (answer) lamp.publish(LAMP_ACK, JSON.stringify({ cmdId: cmd.cmdId, ts: T0 + 5, ...answer }), { qos: 1 });
    });
    await lamp.subscribeAsync(LAMP_CMD, { qos: 1 });
  });
  afterAll(async () => {
    await lamp?.endAsync();
    await server?.close();
    await broker?.close();
  });

  const send = (device: string, body: unknown, token = admin) => call(server.baseUrl, 'POST', `/api/devices/${device}/commands`, { token, body });
  const get = (device: string, cmdId: string) => call(server.baseUrl, 'GET', `/api/devices/${device}/commands/${cmdId}`, { token: viewer });

  it('dim: 202 with a sent record, the lamp gets the command, its ack makes it acked', async () => {
    answer = { ok: true };
    const res = await send('light-1', { action: 'dim', dimPct: 40 }, crew);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ deviceId: 'light-1', action: 'dim', dimPct: 40, status: 'sent', requestedBy: 'carl', sentAt: new Date(T0).toISOString(), ackedAt: null });
    const { cmdId } = res.body;
    await eventually(() => receivedByLamp.find((c) => c.cmdId === cmdId), 'the lamp to receive the command');
    expect(receivedByLamp.find((c) => c.cmdId === cmdId)).toEqual({ cmdId, action: 'dim', dimPct: 40 });

    const acked = await eventually(async () => {
      const r = await get('light-1', cmdId);
      return r.body.status === 'acked' ? r.body : null;
    }, 'the command to be acked');
    expect(acked).toMatchObject({ cmdId, status: 'acked', ackedAt: new Date(T0).toISOString(), deviceTs: T0 + 5, error: null });
  });

  it("an error ack makes the command failed with the device's text; a bad ack is counted and changes nothing", async () => {
    const consumer = server.app.get(ReadingsConsumer);
    const before = consumer.stats.invalidCmdAcks;
    answer = { ok: false, error: 'relay stuck' };
    clock.set(T0 + 60_000);
    const res = await send('light-1', { action: 'off' });
    expect(res.status).toBe(202);
    const failed = await eventually(async () => {
      const r = await get('light-1', res.body.cmdId);
      return r.body.status === 'failed' ? r.body : null;
    }, 'the command to fail');
    expect(failed).toMatchObject({ status: 'failed', error: 'relay stuck', requestedBy: 'admin' });

    // Garbage and a schema-violating ack on the lamp's cmd/ack: logged and counted, never applied.
    await lamp.publishAsync(LAMP_ACK, 'not json', { qos: 1 });
    await lamp.publishAsync(LAMP_ACK, JSON.stringify({ cmdId: res.body.cmdId, ok: 'yes' }), { qos: 1 });
    await eventually(() => consumer.stats.invalidCmdAcks === before + 2, 'the bad acks to be counted');
    expect((await get('light-1', res.body.cmdId)).body.status).toBe('failed');

    // An ack from another device for this cmdId does not touch it (cmdId and deviceId must match).
    answer = null;
    const other = await send('light-1', { action: 'on' });
    await eventually(() => receivedByLamp.find((c) => c.cmdId === other.body.cmdId), 'the lamp to receive it');
    const svc = server.app.get(CommandsService);
    const unmatched = svc.stats.acksUnmatched;
    await lamp.publishAsync('sanitation/v1/streetlight/light-2/cmd/ack', JSON.stringify({ cmdId: other.body.cmdId, ok: true, ts: T0 }), { qos: 1 });
    await eventually(() => svc.stats.acksUnmatched === unmatched + 1, 'the wrong-device ack to be counted as unmatched');
    expect((await get('light-1', other.body.cmdId)).body.status).toBe('sent');
    await lamp.publishAsync(LAMP_ACK, JSON.stringify({ cmdId: other.body.cmdId, ok: true, ts: T0 }), { qos: 1 });
    await eventually(async () => (await get('light-1', other.body.cmdId)).body.status === 'acked', 'the right ack to apply');
  });

  it('no ack within the timeout: timeout', async () => {
    const svc = server.app.get(CommandsService);
    svc.options.ackTimeoutMs = 300;
    try {
      const res = await send('light-2', { action: 'on' });
      expect(res.status).toBe(202);
      expect((await get('light-2', res.body.cmdId)).body.status).toBe('sent');
      await eventually(async () => (await get('light-2', res.body.cmdId)).body.status === 'timeout', 'the command to time out');
      expect((await get('light-2', res.body.cmdId)).body).toMatchObject({ status: 'timeout', ackedAt: null });
    } finally {
      svc.options.ackTimeoutMs = 30_000;
    }
  });

  it('lists latest first, paged', async () => {
    clock.set(T0 + 120_000);
    const newest = await send('light-1', { action: 'ping' });
    const page = await call(server.baseUrl, 'GET', '/api/devices/light-1/commands?limit=2', { token: viewer });
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(4);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0].cmdId).toBe(newest.body.cmdId);
    const rest = await call(server.baseUrl, 'GET', '/api/devices/light-1/commands?limit=2&offset=2', { token: viewer });
    expect(rest.body.items.map((c: { action: string }) => c.action)).toEqual(['off', 'dim']);
    expect((await call(server.baseUrl, 'GET', '/api/devices/light-1/commands?limit=0', { token: viewer })).status).toBe(400);
  });

  it('refuses bad input: 400 naming the field, 404 unknown device or command, 409 wrong kind, 403 viewer', async () => {
    const noPct = await send('light-1', { action: 'dim' });
    expect(noPct.status).toBe(400);
    expect(noPct.body.message).toContain('dimPct');
    const tooBright = await send('light-1', { action: 'dim', dimPct: 140 });
    expect(tooBright.status).toBe(400);
    expect(tooBright.body.message).toContain('dimPct');
    const stray = await send('light-1', { action: 'on', dimPct: 10 });
    expect(stray.status).toBe(400);
    expect(stray.body.message).toContain('dimPct');
    const badAction = await send('light-1', { action: 'explode' });
    expect(badAction.status).toBe(400);
    expect(badAction.body.message).toContain('action');

    expect((await send('ghost', { action: 'on' })).status).toBe(404);
    expect((await get('ghost', 'x')).status).toBe(404);
    expect((await get('light-1', 'no-such-command')).status).toBe(404);

    const binOn = await send('bin-1', { action: 'on' });
    expect(binOn.status).toBe(409);
    expect(binOn.body.code).toBe('ACTION_NOT_SUPPORTED');
    expect((await send('bin-1', { action: 'ping' })).status).toBe(202);

    expect((await send('light-1', { action: 'on' }, viewer)).status).toBe(403);
  });
});
