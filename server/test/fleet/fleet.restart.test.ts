import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INTERNAL_READINGS_TOPIC, type AcceptedReading, type Job, type LoginResponse } from '@sanitation/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_SINK, type IncidentSink } from '../../src/alarms/incident-sink.js';
import { ManualClock } from '../../src/clock/clock.js';
import { call, startApp, type RunningApp } from '../support/app.js';
import { eventually, startBroker, type TestBroker } from '../support/broker.js';

const ADMIN_PASSWORD = 'fleet-admin-pass';
const T0 = Date.UTC(2026, 5, 1, 2, 0); // 10:00 local (UTC+8)
const MIN = 60_000;
const H = 60 * MIN;
const BIN = { lat: 30.25, lon: 120.16 };
const TANK = { lat: 30.2, lon: 120.16 };
const north = (m: number, from: { lat: number; lon: number }) => ({ lat: from.lat + m / 111_195, lon: from.lon });

/** The proof and custody state that matters lives in the database: a restart between stop and drop, or pump and deadline, loses nothing. */
describe('fleet across a server restart (PGlite data dir kept)', () => {
  let broker: TestBroker;
  let gateway: mqtt.MqttClient;
  let server: RunningApp | undefined;
  let token: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-restart-'));
  const clock = new ManualClock(T0);
  let seq = 0;

  const api = <T = any>(method: string, path: string, body?: unknown) => call<T>(server!.baseUrl, method, path, { token, body });
  const publish = (readings: Omit<AcceptedReading, 'seq' | 'receivedAt'>[]) =>
    gateway.publishAsync(INTERNAL_READINGS_TOPIC, JSON.stringify({ gatewayId: 'gw', readings: readings.map((r) => ({ ...r, seq: ++seq, receivedAt: r.ts })) }), { qos: 1 });
  const truck = (deviceId: string, ts: number, at: { lat: number; lon: number }, speedKmh: number) =>
    ({ deviceId, kind: 'truck' as const, ts, values: { ...at, speedKmh, ignition: true } });

  async function start(): Promise<void> {
    const subscribed = new Promise<void>((resolve) => broker.aedes.on('subscribe', (subs) => subs.some((s) => s.topic === INTERNAL_READINGS_TOPIC) && resolve()));
    server = await startApp({ ADMIN_PASSWORD, GATEWAY_MQTT_URLS: broker.url, DATA_DIR: dataDir }, { clock });
    token = (await call<LoginResponse>(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
    await subscribed;
  }

  beforeAll(async () => {
    broker = await startBroker();
    gateway = await mqtt.connectAsync(broker.url, { clientId: 'fleet-restart-gateway', protocolVersion: 4 });
    await start();
  });
  afterAll(async () => {
    await gateway?.endAsync();
    await server?.close();
    await broker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a stop proven before the restart and a drop after it close the job; a custody pumped before it is breached after it', async () => {
    for (const [id, kind, at] of [['bin-r', 'bin', BIN], ['tank-r', 'septic', TANK], ['gps-c', 'truck', BIN], ['gps-t', 'truck', TANK]] as const) {
      expect((await api('POST', '/api/devices', { id, kind, name: id, ...at })).status).toBe(201);
    }
    const shift = { start: '06:00', end: '18:00' };
    expect((await api('POST', '/api/vehicles', { id: 'collector', name: 'C', skill: 'collection', deviceId: 'gps-c', capacityKg: 5000, shift })).status).toBe(201);
    expect((await api('POST', '/api/vehicles', { id: 'tanker', name: 'T', skill: 'septic', deviceId: 'gps-t', capacityKg: 8000, shift })).status).toBe(201);
    const sink = server!.app.get<IncidentSink>(INCIDENT_SINK);
    await sink.raise({ subjectId: 'bin-r', deviceKind: 'bin', cause: 'bin-full', at: T0, ...BIN, zone: null, message: 'full' });
    const job = (await api<{ items: Job[] }>('GET', '/api/jobs?deviceId=bin-r')).body.items[0]!;

    await publish([
      { deviceId: 'bin-r', kind: 'bin', ts: T0 - 5 * MIN, values: { fillPct: 88 } },
      truck('gps-c', T0, north(600, BIN), 30),
      truck('gps-c', T0 + 30_000, north(8, BIN), 0),
      { deviceId: 'tank-r', kind: 'septic', ts: T0 - 5 * MIN, values: { levelPct: 91 } },
      truck('gps-t', T0, north(600, TANK), 30),
      truck('gps-t', T0 + 30_000, north(8, TANK), 0),
      { deviceId: 'tank-r', kind: 'septic', ts: T0 + 2 * MIN, values: { levelPct: 9 } },
    ]);
    await eventually(async () => (await api<Job>('GET', `/api/jobs/${job.jobId}`)).body.proof?.stopAt, 'stop proof');
    await eventually(async () => (await api<any[]>('GET', '/api/vehicles/custody?open=true')).body.length === 1, 'custody');

    await server!.close();
    server = undefined;
    await start();

    await publish([{ deviceId: 'bin-r', kind: 'bin', ts: T0 + 10 * MIN, values: { fillPct: 4 } }]);
    const done = await eventually(async () => {
      const j = (await api<Job>('GET', `/api/jobs/${job.jobId}`)).body;
      return j.status === 'done' ? j : null;
    }, 'job closed after the restart');
    expect(done.proof).toMatchObject({ stopVehicleId: 'collector', levelBefore: 88, levelAfter: 4 });

    clock.set(T0 + 30_000 + 3 * H + MIN);
    const alarm = await eventually(async () => (await api<{ items: any[] }>('GET', '/api/alarms?cause=custody-breach')).body.items[0], 'breach alarm');
    expect(alarm).toMatchObject({ deviceId: 'gps-t', cause: 'custody-breach' });
    expect(alarm.message).toContain('tank-r');
  });
});
