import type { SubscribeAck } from '@sanitation/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE, type Database } from '../../src/database/database.js';
import { DomainEvents } from '../../src/events/domain-events.js';
import { call, startApp, type RunningApp } from '../support/app.js';
import { eventually } from '../support/broker.js';
import { alarm, connected, connectLive, deviceState, job, login, recorder, truckPosition, type LiveTestSocket } from './fixtures.js';

const ADMIN_PASSWORD = 'live-admin-password';
/** West Lake district, Hangzhou: [west, south, east, north]. */
const DISTRICT: [number, number, number, number] = [120.1, 30.2, 120.2, 30.3];

describe('live stream (socket.io on the real server)', () => {
  let server: RunningApp;
  let admin: string;
  let events: DomainEvents;
  const sockets: LiveTestSocket[] = [];

  beforeAll(async () => {
    server = await startApp({ ADMIN_PASSWORD });
    admin = await login(server.baseUrl, 'admin', ADMIN_PASSWORD);
    events = server.app.get(DomainEvents);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function open(token: string): Promise<LiveTestSocket> {
    const socket = connectLive(server.baseUrl, { token });
    sockets.push(socket);
    await connected(socket);
    return socket;
  }

  async function subscribe(socket: LiveTestSocket, subscription: unknown): Promise<SubscribeAck> {
    return socket.timeout(10_000).emitWithAck('subscribe', subscription as never);
  }

  it('refuses a connection without a token or with an unknown one, naming the problem', async () => {
    const none = connectLive(server.baseUrl);
    sockets.push(none);
    const missing = await connected(none).then(() => null, (err: Error & { data?: { code?: string } }) => err);
    expect(missing?.message).toMatch(/missing token/);
    expect(missing?.data?.code).toBe('TOKEN_MISSING');

    const wrong = connectLive(server.baseUrl, { token: 'made-up-token' });
    sockets.push(wrong);
    const invalid = await connected(wrong).then(() => null, (err: Error & { data?: { code?: string } }) => err);
    expect(invalid?.message).toMatch(/invalid or expired token/);
    expect(invalid?.data?.code).toBe('TOKEN_INVALID');
  });

  it('answers an invalid subscription with ok:false naming the problem', async () => {
    const socket = await open(admin);
    const empty = await subscribe(socket, {});
    expect(empty).toEqual({ ok: false, error: expect.stringMatching(/bbox or at least one zone/) });
    const reversed = await subscribe(socket, { bbox: [120.2, 30.2, 120.1, 30.3] });
    expect(reversed).toEqual({ ok: false, error: expect.stringMatching(/^bbox: .*west ≤ east/) });
    const rate = await subscribe(socket, { zones: ['A'], maxTruckRatePerS: -1 });
    expect(rate).toEqual({ ok: false, error: expect.stringMatching(/^maxTruckRatePerS: /) });
    const ok = await subscribe(socket, { zones: ['A'], maxTruckRatePerS: 40 });
    // The server caps the truck rate.
    expect(ok).toEqual({ ok: true, subscription: { zones: ['A'], maxTruckRatePerS: 2 } });
  });

  it('sends nothing before subscribe, then only what lies in the subscribed zone', async () => {
    const socket = await open(admin);
    const got = recorder(socket);
    const before = job({ zone: 'A' });
    events.emit({ type: 'job', job: before });
    expect((await subscribe(socket, { zones: ['A'] })).ok).toBe(true);

    const alarmB = alarm({ zone: 'B', lat: 31.2, lon: 121.4 });
    const jobB = job({ zone: 'B', lat: 31.2, lon: 121.4 });
    const alarmA = alarm({ zone: 'A', lat: 31.2, lon: 121.4 }); // zone decides, wherever it lies
    const jobA = job({ zone: 'A' });
    events.emit({ type: 'alarm', alarm: alarmB });
    events.emit({ type: 'job', job: jobB });
    events.emit({ type: 'alarm', alarm: alarmA });
    events.emit({ type: 'job', job: jobA });

    // Events reach a socket in emit order: once jobA is here, anything sent before it is too.
    await eventually(() => got.of('job:changed').some((j) => j.jobId === jobA.jobId), 'the zone-A job');
    expect(got.of('alarm:changed').map((a) => a.alarmId)).toEqual([alarmA.alarmId]);
    expect(got.of('job:changed').map((j) => j.jobId)).toEqual([jobA.jobId]);
    expect(got.of('job:changed')[0]).toEqual(jobA);
  });

  it('delivers by bbox: a device or job inside the viewport, not one outside it', async () => {
    const socket = await open(admin);
    const got = recorder(socket);
    expect((await subscribe(socket, { bbox: DISTRICT })).ok).toBe(true);
    const outside = job({ zone: null, lat: 30.35, lon: 120.15 });
    const inside = job({ zone: null, lat: 30.25, lon: 120.15 });
    events.emit({ type: 'job', job: outside });
    events.emit({ type: 'job', job: inside });
    await eventually(() => got.of('job:changed').length > 0, 'the job inside');
    expect(got.of('job:changed').map((j) => j.jobId)).toEqual([inside.jobId]);

    const far = deviceState({ zone: 'Z', lat: 29.9, lon: 120.15 });
    const near = Array.from({ length: 10 }, (_, i) => deviceState({ zone: 'Z', lat: 30.21 + i * 0.005, lon: 120.15 }));
    events.emit({ type: 'device', state: far });
    for (const state of near) events.emit({ type: 'device', state });
    const batches = await eventually(() => (got.of('device:state').length ? got.of('device:state') : null), 'device states');
    // Emitted in one go, they arrive as one array; the device outside never arrives.
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((s) => s.deviceId).sort()).toEqual(near.map((s) => s.deviceId).sort());
  });

  it('coalesces a truck burst: 50 positions at once arrive as at most two, the latest last', async () => {
    const socket = await open(admin);
    const got = recorder(socket);
    expect((await subscribe(socket, { bbox: DISTRICT })).ok).toBe(true);
    const t0 = Date.UTC(2026, 10, 27, 9, 0, 0);
    for (let i = 0; i < 50; i++) events.emit({ type: 'truck', position: truckPosition({ deviceId: 'truck-burst', ts: t0 + i * 100, lon: 120.11 + i * 0.001 }) });
    const last = t0 + 49 * 100;
    await eventually(() => got.of('truck:position').flat().some((p) => p.ts === last), 'the latest position');
    const positions = got.of('truck:position').flat().filter((p) => p.deviceId === 'truck-burst');
    expect(positions.length).toBeLessThanOrEqual(2);
    expect(positions.at(-1)!.ts).toBe(last);
  });

  it('paces a steady truck at the subscribed rate, still ending with its latest position', async () => {
    const socket = await open(admin);
    const got = recorder(socket);
    expect((await subscribe(socket, { bbox: DISTRICT, maxTruckRatePerS: 1 })).ok).toBe(true);
    const t0 = Date.UTC(2026, 10, 27, 10, 0, 0);
    const started = performance.now();
    for (let i = 0; i < 50; i++) {
      events.emit({ type: 'truck', position: truckPosition({ deviceId: 'truck-steady', ts: t0 + i * 1000 }) });
      await new Promise((r) => setTimeout(r, 30));
    }
    const last = t0 + 49 * 1000;
    await eventually(() => got.of('truck:position').flat().some((p) => p.ts === last), 'the latest position');
    const elapsedS = (performance.now() - started) / 1000;
    const positions = got.of('truck:position').flat().filter((p) => p.deviceId === 'truck-steady');
    // 1/s over the emitting period plus the trailing latest one; a slow machine only lengthens elapsedS.
    expect(positions.length).toBeLessThanOrEqual(Math.floor(elapsedS) + 2);
    expect(positions.length).toBeLessThan(50);
    expect(positions.at(-1)!.ts).toBe(last);
    const times = positions.map((p) => p.ts);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('stops sending after unsubscribe', async () => {
    const socket = await open(admin);
    const got = recorder(socket);
    expect((await subscribe(socket, { zones: ['A'] })).ok).toBe(true);
    socket.emit('unsubscribe');
    // A socket's messages are handled in order: this refused subscribe's answer means the
    // unsubscribe was handled (and the refusal changes nothing).
    expect((await subscribe(socket, {})).ok).toBe(false);
    const witness = await open(admin);
    const seen = recorder(witness);
    expect((await subscribe(witness, { zones: ['A'] })).ok).toBe(true);
    const dropped = job({ zone: 'A' });
    events.emit({ type: 'job', job: dropped });
    await eventually(() => seen.of('job:changed').some((j) => j.jobId === dropped.jobId), 'the witness to see the job');
    expect(got.of('job:changed')).toEqual([]);
  });

  it('gives a crew operator only the jobs assigned to its crew', async () => {
    const created = await call(server.baseUrl, 'POST', '/api/auth/operators', {
      token: admin,
      body: { username: 'li.wei', password: 'crew-pass-123', role: 'crew' },
    });
    expect(created.status).toBe(201);
    const db = server.app.get<symbol, Database>(DATABASE);
    await db.query(
      `INSERT INTO crews (id, name, skill, members, capacity_jobs, shift_start, shift_end, base_lat, base_lon)
       VALUES ('crew-light-1', 'Lighting crew 1', 'lighting', ARRAY['li.wei'], 8, '18:00', '06:00', 30.25, 120.15)`,
    );
    const crewToken = await login(server.baseUrl, 'li.wei', 'crew-pass-123');
    const socket = await open(crewToken);
    const got = recorder(socket);
    expect((await subscribe(socket, { bbox: DISTRICT })).ok).toBe(true);

    const other = job({ type: 'lamp-repair', cause: 'lamp-failure', assignee: { unitType: 'crew', unitId: 'crew-light-2' } });
    const unassigned = job({ type: 'lamp-repair', cause: 'lamp-failure' });
    const theirs = job({ type: 'lamp-repair', cause: 'lamp-failure', assignee: { unitType: 'crew', unitId: 'crew-light-1' } });
    events.emit({ type: 'alarm', alarm: alarm() });
    events.emit({ type: 'device', state: deviceState() });
    events.emit({ type: 'job', job: other });
    events.emit({ type: 'job', job: unassigned });
    events.emit({ type: 'job', job: theirs });
    // Reassigned away: the crew hears of it once (so its list drops it), then no more.
    const moved = { ...theirs, assignee: { unitType: 'crew' as const, unitId: 'crew-light-2' }, updatedAt: new Date().toISOString() };
    events.emit({ type: 'job', job: moved });
    events.emit({ type: 'job', job: { ...moved, status: 'en_route' } });
    const marker = job({ assignee: { unitType: 'crew', unitId: 'crew-light-1' } });
    events.emit({ type: 'job', job: marker });
    await eventually(() => got.of('job:changed').some((j) => j.jobId === marker.jobId), 'the marker job');
    await new Promise((r) => setTimeout(r, 400)); // one device batch period: a leaked device state would be here by now
    expect(got.of('job:changed').map((j) => [j.jobId, j.assignee?.unitId])).toEqual([
      [theirs.jobId, 'crew-light-1'],
      [theirs.jobId, 'crew-light-2'],
      [marker.jobId, 'crew-light-1'],
    ]);
    expect(got.of('alarm:changed')).toEqual([]);
    expect(got.of('device:state')).toEqual([]);
  });
});
