import type { AcceptedReading, Job, LoginResponse, PlanRoute, RoutePlan } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_SINK, type IncidentSink } from '../../../src/alarms/incident-sink.js';
import { ManualClock } from '../../../src/clock/clock.js';
import { ReadingsBus } from '../../../src/ingest/readings.bus.js';
import { RulesEngine } from '../../../src/rules-engine/rules-engine.service.js';
import { call, startApp, type RunningApp } from '../../support/app.js';

const ADMIN_PASSWORD = 'routing-admin-pass';
/** 2026-11-28 05:00 in the city (UTC+8): before the 06:00 shift. */
const T0 = Date.UTC(2026, 10, 27, 21, 0);
const MIN = 60_000;
const BASE = { lat: 30.25, lon: 120.16 };
const at = (northM: number, eastM: number) => ({ lat: BASE.lat + northM / 111_195, lon: BASE.lon + eastM / 96_000 });

/** Bins of zone z1: fill now and rate (%/h). The `low` ones can wait until tomorrow. */
const BINS: Record<string, { fill: number; rate: number; pos: { lat: number; lon: number } }> = {
  'b-1': { fill: 70, rate: 2, pos: at(400, 0) },
  'b-2': { fill: 65, rate: 2, pos: at(800, 300) },
  'b-3': { fill: 75, rate: 1.5, pos: at(-500, 200) },
  'b-4': { fill: 60, rate: 2.5, pos: at(-900, -400) },
  'b-5': { fill: 72, rate: 2, pos: at(300, -800) },
  'b-6': { fill: 68, rate: 2, pos: at(-200, 900) },
  'b-low1': { fill: 20, rate: 0.5, pos: at(600, 600) },
  'b-low2': { fill: 25, rate: 0.4, pos: at(-600, -700) },
};

describe('route plans over HTTP (PGlite, real solver in a worker)', () => {
  let server: RunningApp;
  let url: string;
  let admin: string;
  let viewer: string;
  const clock = new ManualClock(T0);
  let seq = 0;
  const api = <T = any>(method: string, path: string, body?: unknown, token = admin) => call<T>(url, method, path, { token, body });
  const job = async (jobId: string) => (await api<Job>('GET', `/api/jobs/${jobId}`)).body;
  const collects = (r: PlanRoute) => r.stops.filter((s) => s.kind === 'collect');
  const routeOf = (plan: RoutePlan, vehicleId: string) => plan.routes.find((r) => r.vehicleId === vehicleId)!;

  async function readings(list: Omit<AcceptedReading, 'seq' | 'receivedAt'>[]): Promise<void> {
    const bus = server.app.get(ReadingsBus);
    bus.publish(list.map((r) => ({ ...r, seq: ++seq, receivedAt: r.ts })));
    await bus.settled();
    await server.app.get(RulesEngine).idle();
  }
  async function device(id: string, kind: string, pos: { lat: number; lon: number }, extra: Record<string, unknown> = {}): Promise<void> {
    const res = await api('POST', '/api/devices', { id, kind, name: id, ...pos, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  const createBody = { zone: 'z1', vehicleIds: ['t1', 't2'], timeLimitS: 1, seed: 7 };

  beforeAll(async () => {
    server = await startApp({ ADMIN_PASSWORD, ROUTING_TRAVEL: 'straight-line' }, { clock });
    url = server.baseUrl;
    admin = (await call<LoginResponse>(url, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
    expect((await api('POST', '/api/auth/operators', { username: 'vera', password: 'viewer-pass-1', role: 'viewer' })).status).toBe(201);
    viewer = (await call<LoginResponse>(url, 'POST', '/api/auth/login', { body: { username: 'vera', password: 'viewer-pass-1' } })).body.token;
    const basemap = {
      type: 'FeatureCollection',
      properties: { name: 'test city', center: [BASE.lon, BASE.lat], bbox: [120.1, 30.2, 120.2, 30.3] },
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [BASE.lon, BASE.lat] }, properties: { layer: 'depot', id: 'dep-a', name: 'Depot A' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [at(1500, 1500).lon, at(1500, 1500).lat] }, properties: { layer: 'transfer', id: 'tr-1', name: 'Transfer' } },
      ],
    };
    expect((await api('PUT', '/api/map/basemap', basemap)).status).toBe(204);
    for (const t of ['t1', 't2']) {
      await device(`gps-${t}`, 'truck', BASE, { attributes: { depot: 'dep-a' } });
      const res = await api('POST', '/api/vehicles', { id: t, name: `Truck ${t}`, skill: 'collection', deviceId: `gps-${t}`, capacityKg: 400, shift: { start: '06:00', end: '14:00' } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    for (const [id, b] of Object.entries(BINS)) await device(id, 'bin', b.pos, { zone: 'z1', attributes: { capacityL: 1000 } });
    await device('b-other-zone', 'bin', at(100, 100), { zone: 'z2', attributes: { capacityL: 1000 } });
    // Six hours of readings every 30 min, rising at each bin's rate to its fill now.
    const list: Omit<AcceptedReading, 'seq' | 'receivedAt'>[] = [];
    for (let k = 12; k >= 0; k--) {
      for (const [id, b] of Object.entries(BINS)) list.push({ deviceId: id, kind: 'bin', ts: T0 - k * 30 * MIN, values: { fillPct: b.fill - (b.rate * k) / 2 } });
      list.push({ deviceId: 'b-other-zone', kind: 'bin', ts: T0 - k * 30 * MIN, values: { fillPct: 90 } });
    }
    await readings(list);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses bad bodies naming the field, and viewers may read but not plan', async () => {
    const bad = await api('POST', '/api/routing/plans', { zone: 'z1', vehicleIds: [], collectAtPct: 200, timeWindows: [{ deviceIds: ['b-1'], from: '7:00', to: '08:00' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['collectAtPct', 'timeWindows.0.from', 'vehicleIds']);
    expect((await api('POST', '/api/routing/plans', { ...createBody, vehicleIds: ['nope'] })).body).toMatchObject({ code: 'VEHICLE_NOT_FOUND', message: expect.stringMatching(/^vehicleIds: .*nope/) });
    expect((await api('POST', '/api/routing/plans', createBody, viewer)).status).toBe(403);
    expect((await api('GET', '/api/routing/plans?status=bogus')).body.issues[0].path).toBe('status');
    expect((await api('GET', '/api/routing/plans/none', undefined, viewer)).status).toBe(404);
  });

  let plan: RoutePlan;
  let underWayOn = '';
  let underWayStop = '';
  let doneStop = '';

  it('plans the zone: every bin due before the next round served once, within capacity; the others left out with reasons', async () => {
    const res = await api<RoutePlan>('POST', '/api/routing/plans', {
      ...createBody,
      timeWindows: [{ deviceIds: ['b-3'], from: '07:00', to: '09:00' }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    plan = res.body;
    expect(plan).toMatchObject({ zone: 'z1', date: '2026-11-28', status: 'draft', version: 1, createdBy: 'admin' });
    expect(plan.params.nextRoundAt).toBe('2026-11-28T22:00:00.000Z'); // 06:00 tomorrow in the city
    const served = plan.routes.flatMap((r) => collects(r).map((s) => s.deviceId));
    expect(served.sort()).toEqual(['b-1', 'b-2', 'b-3', 'b-4', 'b-5', 'b-6']);
    expect(plan.leftOut.map((l) => [l.deviceId, l.reason]).sort()).toEqual([['b-low1', 'can-wait'], ['b-low2', 'can-wait']]);
    expect(plan.leftOut.find((l) => l.deviceId === 'b-low1')!.detail).toMatch(/^predicted 3\d(\.\d)? % at 2026-11-29 06:00$/);
    for (const route of plan.routes) {
      expect(route.stops[0]!.kind).toBe('start');
      expect(route.stops.at(-1)!.kind).toBe('end');
      expect(route.stops[0]!.siteId).toBe('dep-a');
      for (const s of route.stops) expect(s.loadAfterKg).toBeLessThanOrEqual(route.capacityKg + 1e-6);
      // A truck does not go home full: an unload before the end when it collected anything.
      if (collects(route).length) expect(route.stops.at(-2)!.kind).toBe('unload');
      expect(route.path.length).toBeGreaterThanOrEqual(collects(route).length ? 2 : 0);
    }
    // Demand: predicted fill at service time × 1000 L × 0.2 kg/L.
    const b3 = plan.routes.flatMap((r) => r.stops).find((s) => s.deviceId === 'b-3')!;
    expect(b3.demandKg).toBeGreaterThan(0.75 * 200);
    expect(b3.demandKg).toBeLessThanOrEqual(200);
    expect(Date.parse(b3.serviceAt)).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 27, 23, 0)); // 07:00 city
    expect(Date.parse(b3.serviceAt)).toBeLessThanOrEqual(Date.UTC(2026, 10, 28, 1, 0)); // 09:00 city
    expect(plan.summary).toMatchObject({ stops: 6, leftOut: 2, feasible: true, travel: 'straight-line' });
    expect(plan.history[0]).toMatchObject({ action: 'created', by: 'admin' });
    const list = await api('GET', '/api/routing/plans?zone=z1&status=draft', undefined, viewer);
    expect(list.body.map((p: RoutePlan) => p.planId)).toEqual([plan.planId]);
    expect(list.body[0].routes).toBeUndefined();
  });

  it('moves a stop (it becomes locked), keeps it there through optimise, and refuses a stale version', async () => {
    const from = plan.routes.find((r) => collects(r).length > 0)!;
    const other = plan.routes.find((r) => r.vehicleId !== from.vehicleId)!;
    const moving = collects(from)[0]!;
    const moved = await api<RoutePlan>('POST', `/api/routing/plans/${plan.planId}/moves`, { version: 1, stopId: moving.stopId, toVehicleId: other.vehicleId, toIndex: 0 });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.version).toBe(2);
    const there = collects(routeOf(moved.body, other.vehicleId))[0]!;
    expect(there).toMatchObject({ stopId: moving.stopId, locked: true });
    expect(collects(routeOf(moved.body, from.vehicleId)).some((s) => s.stopId === moving.stopId)).toBe(false);

    const stale = await api('POST', `/api/routing/plans/${plan.planId}/moves`, { version: 1, stopId: moving.stopId, toVehicleId: from.vehicleId, toIndex: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'STALE_VERSION', message: expect.stringMatching(/version 2.*version 1/) });

    // Lock a second stop on the first truck, then optimise: both locked stops stay on their trucks.
    const second = collects(routeOf(moved.body, from.vehicleId))[0]!;
    const locked = await api<RoutePlan>('PATCH', `/api/routing/plans/${plan.planId}/stops/${encodeURIComponent(second.stopId)}`, { version: 2, locked: true });
    expect(locked.status, JSON.stringify(locked.body)).toBe(200);
    expect(locked.body.version).toBe(3);
    const optimised = await api<RoutePlan>('POST', `/api/routing/plans/${plan.planId}/optimize`, { version: 3, timeLimitS: 1 });
    expect(optimised.status, JSON.stringify(optimised.body)).toBe(200);
    expect(optimised.body.version).toBe(4);
    expect(collects(routeOf(optimised.body, other.vehicleId)).map((s) => s.stopId)).toContain(moving.stopId);
    expect(collects(routeOf(optimised.body, from.vehicleId)).map((s) => s.stopId)).toContain(second.stopId);
    expect(optimised.body.routes.flatMap((r) => collects(r)).length).toBe(6);
    expect(optimised.body.history.slice(0, 3).map((h) => h.action)).toEqual(['optimised', 'locked', 'moved']);
    plan = optimised.body;
  });

  it('publishes: each stop’s job is assigned to its truck in route order, winning over an earlier assignment', async () => {
    // b-1's job exists already (a rule raised it) and went to the other truck.
    const sink = server.app.get<IncidentSink>(INCIDENT_SINK);
    await sink.raise({ subjectId: 'b-1', deviceKind: 'bin', cause: 'bin-full', at: clock.now(), ...BINS['b-1']!.pos, zone: 'z1', message: 'full', details: {} });
    const existing = (await api<{ items: Job[] }>('GET', '/api/jobs?deviceId=b-1')).body.items[0]!;
    const plannedOn = plan.routes.find((r) => collects(r).some((s) => s.deviceId === 'b-1'))!.vehicleId;
    const wrong = plannedOn === 't1' ? 't2' : 't1';
    expect((await api('POST', `/api/jobs/${existing.jobId}/assign`, { unitType: 'vehicle', unitId: wrong })).status).toBe(200);

    const res = await api<RoutePlan>('POST', `/api/routing/plans/${plan.planId}/publish`, { version: plan.version });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    plan = res.body;
    expect(plan).toMatchObject({ status: 'published', publishedBy: 'admin' });
    for (const route of plan.routes) {
      const seqs: number[] = [];
      for (const stop of collects(route)) {
        expect(stop.jobId).toBeTruthy();
        const j = await job(stop.jobId!);
        expect(j.assignee).toEqual({ unitType: 'vehicle', unitId: route.vehicleId });
        expect(j.details.routePlan).toMatchObject({ planId: plan.planId, vehicleId: route.vehicleId, plannedAt: stop.serviceAt });
        seqs.push((j.details.routePlan as { seq: number }).seq);
      }
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
    expect(plan.routes.flatMap((r) => collects(r)).find((s) => s.deviceId === 'b-1')!.jobId).toBe(existing.jobId);
    expect((await api('POST', `/api/routing/plans/${plan.planId}/optimize`, { version: plan.version })).body.code).toBe('ILLEGAL_STATE');
  });

  it('a new collection job in the zone is inserted without moving the stops under way', async () => {
    // Both trucks have a stop (each has a locked one); the busier one gets the stop under way.
    const [ra, rb] = [...plan.routes].sort((a, b) => collects(b).length - collects(a).length);
    expect(collects(rb!).length).toBeGreaterThan(0);
    const underWay = collects(ra!)[0]!;
    const done = collects(rb!)[0]!;
    underWayOn = ra!.vehicleId;
    underWayStop = underWay.stopId;
    doneStop = done.stopId;
    expect((await api('POST', `/api/jobs/${underWay.jobId}/transition`, { status: 'en_route' })).status).toBe(200);
    expect((await api('POST', `/api/jobs/${done.jobId}/transition`, { status: 'done' })).status).toBe(200);

    const sink = server.app.get<IncidentSink>(INCIDENT_SINK);
    await sink.raise({ subjectId: 'b-low1', deviceKind: 'bin', cause: 'bin-full', at: clock.now(), ...BINS['b-low1']!.pos, zone: 'z1', message: 'full', details: {} });
    let next = plan;
    await expect.poll(async () => (next = (await api<RoutePlan>('GET', `/api/routing/plans/${plan.planId}`)).body).version, { timeout: 20_000 }).toBe(plan.version + 1);
    expect(next.history[0]).toMatchObject({ action: 'replanned', by: 'system', note: expect.stringContaining('b-low1') });
    expect(collects(routeOf(next, ra!.vehicleId))[0]!.stopId).toBe(underWay.stopId);
    expect(collects(routeOf(next, rb!.vehicleId))[0]!.stopId).toBe(done.stopId);
    const inserted = next.routes.find((r) => collects(r).some((s) => s.deviceId === 'b-low1'))!;
    expect(inserted).toBeTruthy();
    expect(next.leftOut.map((l) => l.deviceId)).toEqual(['b-low2']);
    const newJob = await job(collects(inserted).find((s) => s.deviceId === 'b-low1')!.jobId!);
    expect(newJob.assignee).toEqual({ unitType: 'vehicle', unitId: inserted.vehicleId });
    expect(next.routes.flatMap((r) => collects(r)).length).toBe(7);
    plan = next;
  });

  it('breakdown: the truck’s remaining stops go to the other truck, whose stop under way stays first', async () => {
    // From the previous test: the keeper's first stop is en_route, the broken truck's first is done.
    const keeper = underWayOn;
    const brokenId = plan.routes.find((r) => r.vehicleId !== keeper)!.vehicleId;
    const keeperUnderWay = collects(routeOf(plan, keeper))[0]!;
    expect(keeperUnderWay.stopId).toBe(underWayStop);
    // A published plan's stop moves too (its job follows): give the truck about to break one more stop.
    const last = collects(routeOf(plan, keeper)).at(-1)!;
    const moved = await api<RoutePlan>('POST', `/api/routing/plans/${plan.planId}/moves`, { version: plan.version, stopId: last.stopId, toVehicleId: brokenId, toIndex: 99 });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    plan = moved.body;
    expect(collects(routeOf(plan, brokenId)).at(-1)!.stopId).toBe(last.stopId);
    expect((await job(last.jobId!)).assignee?.unitId).toBe(brokenId);
    // The broken truck's crew had reached that bin: the job is on site, and must still be handed over.
    expect((await api('POST', `/api/jobs/${last.jobId}/transition`, { status: 'on_site' })).status).toBe(200);
    const busy = await api('POST', `/api/routing/plans/${plan.planId}/moves`, { version: plan.version, stopId: underWayStop, toVehicleId: brokenId, toIndex: 0 });
    expect(busy.body).toMatchObject({ code: 'NOT_MOVABLE', message: expect.stringContaining('en_route') });
    const brokenRoute = routeOf(plan, brokenId);
    const brokenDone = collects(brokenRoute).slice(0, 1);
    expect(brokenDone[0]!.stopId).toBe(doneStop);
    const moving = collects(brokenRoute).slice(1).map((s) => s.stopId);
    expect(moving.length).toBeGreaterThan(0);

    expect((await api('POST', `/api/routing/plans/${plan.planId}/breakdown`, { vehicleId: brokenId, note: '' })).body.issues[0].path).toBe('note');
    const res = await api<RoutePlan>('POST', `/api/routing/plans/${plan.planId}/breakdown`, { vehicleId: brokenId, note: 'hydraulics failed' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const next = res.body;
    expect(next.version).toBe(plan.version + 1);
    expect(next.history[0]).toMatchObject({ action: 'replanned', note: expect.stringContaining('hydraulics failed') });
    const out = routeOf(next, brokenId);
    expect(out.progress?.withdrawn).toBe(true);
    // What it did stays; what it had left moved.
    expect(collects(out).map((s) => s.stopId)).toEqual(brokenDone.map((s) => s.stopId));
    const keeperStops = collects(routeOf(next, keeper)).map((s) => s.stopId);
    expect(keeperStops[0]).toBe(keeperUnderWay.stopId);
    for (const id of moving) expect(keeperStops).toContain(id);
    for (const stop of collects(routeOf(next, keeper))) expect((await job(stop.jobId!)).assignee?.unitId).toBe(keeper);
    expect(await job(last.jobId!)).toMatchObject({ status: 'assigned', assignee: { unitId: keeper } });
    expect((await api('POST', `/api/routing/plans/${plan.planId}/breakdown`, { vehicleId: keeper, note: 'again' })).body.code).toBe('ILLEGAL_STATE');
  });
});
