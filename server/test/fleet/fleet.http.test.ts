import { INTERNAL_READINGS_TOPIC, type AcceptedReading, type Job, type LoginResponse, type ReadingsBatch } from '@sanitation/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_SINK, type IncidentSink } from '../../src/alarms/incident-sink.js';
import { ManualClock } from '../../src/clock/clock.js';
import { call, startApp, type RunningApp } from '../support/app.js';
import { eventually, startBroker, type TestBroker } from '../support/broker.js';

const ADMIN_PASSWORD = 'fleet-admin-pass';
/** 2026-06-01 10:00 in the city (UTC+8). */
const T0 = Date.UTC(2026, 5, 1, 2, 0);
const MIN = 60_000;
const H = 60 * MIN;
const DAY_SHIFT = { start: '06:00', end: '18:00' };
const BASE = { lat: 30.25, lon: 120.16 };
/** A point `m` metres north of `from`. */
const north = (m: number, from = BASE) => ({ lat: from.lat + m / 111_195, lon: from.lon });

describe('fleet over HTTP and real MQTT (PGlite)', () => {
  let broker: TestBroker;
  let server: RunningApp;
  let gateway: mqtt.MqttClient;
  let url: string;
  let admin: string;
  const clock = new ManualClock(T0);
  const seq = new Map<string, number>();

  const api = <T = any>(method: string, path: string, body?: unknown, token = admin) => call<T>(url, method, path, { token, body });
  const job = async (jobId: string) => (await api<Job>('GET', `/api/jobs/${jobId}`)).body;

  async function publish(readings: Omit<AcceptedReading, 'seq' | 'receivedAt'>[]): Promise<void> {
    const batch: ReadingsBatch = {
      gatewayId: 'gw-test',
      readings: readings.map((r) => {
        const n = (seq.get(r.deviceId) ?? 0) + 1;
        seq.set(r.deviceId, n);
        return { ...r, seq: n, receivedAt: r.ts };
      }),
    };
    await gateway.publishAsync(INTERNAL_READINGS_TOPIC, JSON.stringify(batch), { qos: 1 });
  }
  const truck = (deviceId: string, ts: number, at: { lat: number; lon: number }, speedKmh: number, loadKg = 500) =>
    ({ deviceId, kind: 'truck' as const, ts, values: { ...at, speedKmh, headingDeg: 0, ignition: true, loadKg } });
  const level = (deviceId: string, kind: 'bin' | 'septic', ts: number, pct: number) =>
    ({ deviceId, kind, ts, values: { [kind === 'bin' ? 'fillPct' : 'levelPct']: pct } as Record<string, number> });

  async function device(id: string, kind: string, at: { lat: number; lon: number }): Promise<void> {
    const res = await api('POST', '/api/devices', { id, kind, name: id, ...at });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  async function vehicle(id: string, skill: 'collection' | 'septic', extra: Record<string, unknown> = {}): Promise<void> {
    await device(`gps-${id}`, 'truck', BASE);
    const res = await api('POST', '/api/vehicles', { id, name: `Vehicle ${id}`, skill, deviceId: `gps-${id}`, capacityKg: 5000, shift: DAY_SHIFT, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  /** Raises the finding the rules engine would, and returns the job it opened. */
  async function raise(subjectId: string, kind: 'bin' | 'septic', at: { lat: number; lon: number }): Promise<Job> {
    const sink = server.app.get<IncidentSink>(INCIDENT_SINK);
    const cause = kind === 'bin' ? 'bin-full' : 'septic-full';
    await sink.raise({ subjectId, deviceKind: kind, cause, at: clock.now(), ...at, zone: null, message: `${cause} at ${subjectId}`, details: {} });
    const res = await api<{ items: Job[] }>('GET', `/api/jobs?deviceId=${subjectId}`);
    return res.body.items[0]!;
  }
  async function login(username: string, password: string, role: string): Promise<string> {
    expect((await api('POST', '/api/auth/operators', { username, password, role })).status).toBe(201);
    return (await call<LoginResponse>(url, 'POST', '/api/auth/login', { body: { username, password } })).body.token;
  }

  beforeAll(async () => {
    broker = await startBroker();
    const subscribed = new Promise<void>((resolve) => broker.aedes.on('subscribe', (subs) => subs.some((s) => s.topic === INTERNAL_READINGS_TOPIC) && resolve()));
    server = await startApp({ ADMIN_PASSWORD, GATEWAY_MQTT_URLS: broker.url }, { clock });
    url = server.baseUrl;
    admin = (await call<LoginResponse>(url, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
    gateway = await mqtt.connectAsync(broker.url, { clientId: 'fleet-test-gateway', protocolVersion: 4 });
    await subscribed;
  });
  afterAll(async () => {
    await gateway?.endAsync();
    await server?.close();
    await broker?.close();
  });

  it('registers vehicles only on registered truck devices, naming what is wrong', async () => {
    await device('gps-reg', 'truck', BASE);
    await device('bin-reg', 'bin', BASE);
    const good = { id: 'reg-1', name: 'Reg 1', skill: 'collection', deviceId: 'gps-reg', capacityKg: 4000, shift: DAY_SHIFT };

    const bad = await api('POST', '/api/vehicles', { ...good, capacityKg: -1, shift: { start: '25:00', end: '18:00' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['capacityKg', 'shift.start']);
    const unknown = await api('POST', '/api/vehicles', { ...good, deviceId: 'gps-nowhere' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'DEVICE_NOT_FOUND', message: expect.stringMatching(/^deviceId: .*gps-nowhere/) });
    const notTruck = await api('POST', '/api/vehicles', { ...good, deviceId: 'bin-reg' });
    expect(notTruck.status).toBe(400);
    expect(notTruck.body.message).toMatch(/^deviceId: .*bin-reg.* is a bin, not a truck/);

    const created = await api('POST', '/api/vehicles', good);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ vehicleId: 'reg-1', name: 'Reg 1', skill: 'collection', deviceId: 'gps-reg', capacityKg: 4000, shift: DAY_SHIFT, contractor: null, members: [], position: null, loadKg: null, activeJobs: 0 });
    expect((await api('POST', '/api/vehicles', good)).status).toBe(409);
    expect((await api('POST', '/api/vehicles', { ...good, id: 'reg-2' })).body).toMatchObject({ code: 'DEVICE_IN_USE' });
    expect((await api('GET', '/api/vehicles/reg-1')).body.vehicleId).toBe('reg-1');
    expect((await api('GET', '/api/vehicles/nope')).status).toBe(404);

    const viewer = await login('vic', 'viewer-pass-1', 'viewer');
    expect((await api('POST', '/api/vehicles', { ...good, id: 'reg-3' }, viewer)).status).toBe(403);
    expect((await api('GET', '/api/vehicles', undefined, viewer)).status).toBe(200);
  });

  it('registers crews and disposal sites; a crew member reports only their own crew’s position', async () => {
    const crew = { id: 'crew-l', name: 'Lighting', skill: 'lighting', members: ['li'], shift: DAY_SHIFT, base: BASE };
    const missing = await api('POST', '/api/crews', { ...crew, base: { lat: 95, lon: 1 }, skill: 'plumbing' });
    expect(missing.status).toBe(400);
    expect(missing.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['base.lat', 'skill']);
    expect((await api('POST', '/api/crews', crew)).body).toMatchObject({ crewId: 'crew-l', capacityJobs: 8, position: null, activeJobs: 0 });
    expect((await api('POST', '/api/crews', { ...crew, id: 'crew-other', members: ['wang'] })).status).toBe(201);

    const li = await login('li', 'crew-pass-11', 'crew');
    const moved = await api('POST', '/api/crews/crew-l/position', north(300), li);
    expect(moved.status).toBe(200);
    expect(moved.body.position).toEqual({ ...north(300), ts: new Date(T0).toISOString() });
    expect((await api('POST', '/api/crews/crew-other/position', north(300), li)).status).toBe(403);
    expect((await api('POST', '/api/crews/crew-l/position', { lat: 'x' }, li)).body.issues[0].path).toBe('lat');
    expect((await api('GET', '/api/crews/crew-l')).body.position.lat).toBeCloseTo(north(300).lat, 9);

    const site = await api('POST', '/api/disposal-sites', { id: 'plant', name: 'Treatment plant', ...north(20_000) });
    expect(site.body).toEqual({ id: 'plant', name: 'Treatment plant', ...north(20_000), radiusM: 80 });
    expect((await api('POST', '/api/disposal-sites', { id: 'plant', name: 'x', lat: 1, lon: 1 })).status).toBe(409);
    expect((await api('POST', '/api/disposal-sites', { id: 'bad', name: 'x', lat: 1 })).body.issues[0].path).toBe('lon');
    expect((await api('GET', '/api/disposal-sites')).body).toHaveLength(1);
  });

  it('proposes the nearest in-shift unit with the skill; ranks candidates; auto-assigns when switched on', async () => {
    expect((await api('PUT', '/api/vehicles/auto-assign', { collection: false, boats: true })).body.issues[0].path).toBe('(body)');
    expect((await api('PUT', '/api/vehicles/auto-assign', { collection: false })).body).toEqual({ collection: false, septic: true, toilet: true, lighting: true });
    const binAt = north(5_000);
    await device('bin-p', 'bin', binAt);
    await vehicle('near', 'collection');
    await vehicle('far', 'collection');
    await vehicle('late', 'collection', { shift: { start: '14:00', end: '22:00' } });
    await vehicle('tank-truck', 'septic');
    await publish([
      truck('gps-near', T0 - MIN, north(800, binAt), 30),
      truck('gps-far', T0 - MIN, north(3_000, binAt), 30),
      truck('gps-late', T0 - MIN, north(100, binAt), 30),
      truck('gps-tank-truck', T0 - MIN, north(50, binAt), 30),
    ]);
    await eventually(async () => (await api('GET', '/api/vehicles/far')).body.position, 'truck positions');

    const opened = await raise('bin-p', 'bin', binAt);
    const proposed = await eventually(async () => (await job(opened.jobId)).proposal, 'a proposal');
    expect(proposed).toMatchObject({ unitType: 'vehicle', unitId: 'near', distanceM: 1040 });
    const ranked = await api('GET', `/api/vehicles/proposals?jobId=${opened.jobId}`);
    expect(ranked.body.map((c: { unitId: string }) => c.unitId)).toEqual(['near', 'far']);
    expect(ranked.body[1]).toMatchObject({ unitType: 'vehicle', skill: 'collection', distanceM: 3900, travelS: Math.round(3900 / (25 / 3.6)), activeJobs: 0 });
    expect((await api('GET', '/api/vehicles/proposals')).body.issues[0].path).toBe('jobId');
    expect((await api('GET', '/api/vehicles/proposals?jobId=999999')).status).toBe(404);
    expect((await job(opened.jobId)).status).toBe('open');

    await api('PUT', '/api/vehicles/auto-assign', { collection: true });
    const assigned = await eventually(async () => (await job(opened.jobId)).assignee, 'auto-assignment');
    expect(assigned).toEqual({ unitType: 'vehicle', unitId: 'near' });
    expect((await api('GET', '/api/vehicles/near')).body.activeJobs).toBe(1);
  });

  it("a truck's crew sees and progresses the truck's jobs, and no one else's", async () => {
    const binAt = north(7_000);
    await device('bin-crewed', 'bin', binAt);
    await vehicle('crewed', 'collection', { members: ['driver-x'] });
    const bad = await api('POST', '/api/vehicles', { id: 'bad-members', name: 'x', skill: 'collection', deviceId: 'gps-crewed', capacityKg: 1, shift: DAY_SHIFT, members: [''] });
    expect(bad.body.issues[0].path).toBe('members.0');
    expect((await api('GET', '/api/vehicles/crewed')).body.members).toEqual(['driver-x']);
    const opened = await raise('bin-crewed', 'bin', binAt);
    const other = await raise('bin-p', 'bin', north(5_000));
    expect((await api('POST', `/api/jobs/${opened.jobId}/assign`, { unitType: 'vehicle', unitId: 'crewed' })).status).toBe(200);

    const driver = await login('driver-x', 'crew-pass-12', 'crew');
    const seen = await api<{ items: Job[] }>('GET', '/api/jobs', undefined, driver);
    expect(seen.body.items.map((j) => j.jobId)).toEqual([opened.jobId]);
    expect((await api('GET', `/api/jobs/${other.jobId}`, undefined, driver)).status).toBe(404);
    const moved = await api<Job>('POST', `/api/jobs/${opened.jobId}/transition`, { status: 'en_route' }, driver);
    expect(moved.body.status).toBe('en_route');
    const stranger = await login('driver-y', 'crew-pass-13', 'crew');
    expect((await api('GET', '/api/jobs', undefined, stranger)).body.items).toEqual([]);
    expect((await api('POST', `/api/jobs/${opened.jobId}/transition`, { status: 'on_site' }, stranger)).status).toBe(404);
  });

  it('closes a collection job on its own when the truck stops at the bin and the fill then drops; a stop without a drop does not', async () => {
    await vehicle('collector', 'collection');
    const binA = north(10_000);
    const binB = north(12_000);
    await device('bin-a', 'bin', binA);
    await device('bin-b', 'bin', binB);
    const t = T0 + 10 * MIN;
    await publish([level('bin-a', 'bin', t - 5 * MIN, 86), level('bin-b', 'bin', t - 5 * MIN, 84), truck('gps-collector', t - MIN, north(900, binB), 30)]);
    const jobA = await raise('bin-a', 'bin', binA);
    const jobB = await raise('bin-b', 'bin', binB);

    // Bin B: the truck stops 20 m away for 90 s, but the bin still reads nearly full afterwards.
    await publish([truck('gps-collector', t, north(300, binB), 28), truck('gps-collector', t + 30_000, north(20, binB), 0), truck('gps-collector', t + 60_000, north(20, binB), 0)]);
    const stopB = await eventually(async () => (await job(jobB.jobId)).proof?.stopAt, 'stop proof at bin B');
    expect(stopB).toBe(new Date(t + 30_000).toISOString());
    expect((await job(jobB.jobId)).proof).toMatchObject({ stopVehicleId: 'collector', levelBefore: 84 });
    await publish([level('bin-b', 'bin', t + 8 * MIN, 79)]);

    // Bin A: stop 10 m away, then the fill falls from 86 to 6 %.
    await publish([truck('gps-collector', t + 5 * MIN, north(400, binA), 30), truck('gps-collector', t + 5.5 * MIN, north(10, binA), 1)]);
    await eventually(async () => (await job(jobA.jobId)).proof?.stopAt, 'stop proof at bin A');
    expect((await job(jobA.jobId)).status).not.toBe('done');
    await publish([level('bin-a', 'bin', t + 15 * MIN, 6)]);
    const done = await eventually(async () => {
      const j = await job(jobA.jobId);
      return j.status === 'done' ? j : null;
    }, 'bin A job done');
    expect(done.proof).toMatchObject({ stopVehicleId: 'collector', stopAt: new Date(t + 5.5 * MIN).toISOString(), levelBefore: 86, levelAfter: 6 });
    expect(done.flags).not.toContain('unproven');

    // Readings are handled in order, so bin B's 79 % reading was seen before bin A's: B stays open.
    const b = await job(jobB.jobId);
    expect(b.status).not.toBe('done');
    expect(b.proof?.levelAfter).toBeUndefined();
  });

  it('septic: pump + unload at a disposal site closes the job; pump without unloading raises custody-breach once', async () => {
    const plant = north(20_000); // registered above
    const tank1 = north(-5_000);
    const tank2 = north(-7_000);
    await device('tank-1', 'septic', tank1);
    await device('tank-2', 'septic', tank2);
    await vehicle('tanker-ok', 'septic');
    await vehicle('tanker-lost', 'septic');
    const t = T0 + 20 * MIN;
    await publish([level('tank-1', 'septic', t - 10 * MIN, 92), level('tank-2', 'septic', t - 10 * MIN, 95)]);
    const job1 = await raise('tank-1', 'septic', tank1);
    const job2 = await raise('tank-2', 'septic', tank2);

    await publish([
      truck('gps-tanker-ok', t, north(500, tank1), 30),
      truck('gps-tanker-ok', t + 30_000, north(15, tank1), 0),
      truck('gps-tanker-lost', t, north(500, tank2), 30),
      truck('gps-tanker-lost', t + 30_000, north(5, tank2), 0),
      level('tank-1', 'septic', t + 30 * MIN, 8),
      level('tank-2', 'septic', t + 30 * MIN, 12),
    ]);
    const custody = await eventually(async () => {
      const res = await api<any[]>('GET', '/api/vehicles/custody?open=true');
      return res.body.length === 2 ? res.body : null;
    }, 'two open custodies');
    expect(custody.find((c) => c.sourceDeviceId === 'tank-2')).toMatchObject({
      vehicleDeviceId: 'gps-tanker-lost',
      jobId: job2.jobId,
      pumpedAt: new Date(t + 30_000).toISOString(),
      deadlineAt: new Date(t + 30_000 + 3 * H).toISOString(),
    });
    expect((await job(job1.jobId)).proof).toMatchObject({ stopVehicleId: 'tanker-ok', levelBefore: 92, levelAfter: 8 });

    // tanker-ok unloads at the plant an hour later: custody closed, job done.
    await publish([truck('gps-tanker-ok', t + H, north(200, plant), 30), truck('gps-tanker-ok', t + H + 30_000, north(30, plant), 0)]);
    const done = await eventually(async () => {
      const j = await job(job1.jobId);
      return j.status === 'done' ? j : null;
    }, 'pumping job 1 done');
    expect(done.proof).toMatchObject({ disposalSiteId: 'plant', disposedAt: new Date(t + H + 30_000).toISOString() });

    // tanker-lost never gets there: past the deadline the custody is breached, once.
    clock.set(t + 30_000 + 3 * H + MIN);
    const alarm = await eventually(async () => {
      const res = await api<{ items: any[] }>('GET', '/api/alarms?cause=custody-breach');
      return res.body.items[0];
    }, 'custody-breach alarm');
    expect(alarm).toMatchObject({ deviceId: 'gps-tanker-lost', deviceKind: 'truck', cause: 'custody-breach', status: 'open' });
    expect(alarm.message).toContain('tank-2');
    const breached = await eventually(async () => {
      const res = await api<any[]>('GET', '/api/vehicles/custody?open=true');
      return res.body.find((c) => c.breachedAt !== null);
    }, 'custody marked breached');
    expect(breached.sourceDeviceId).toBe('tank-2');
    expect((await job(job2.jobId)).proof?.note).toMatch(/custody breach/);
    expect((await api<{ items: any[] }>('GET', '/api/alarms?cause=custody-breach')).body.items).toHaveLength(1);
    expect((await job(job2.jobId)).status).not.toBe('done');
  });
});
