import { randomBytes } from 'node:crypto';
import type { KpiReport, KpiTrend, VehicleTrail } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_SINK, type IncidentSink } from '../../src/alarms/incident-sink.js';
import { ManualClock } from '../../src/clock/clock.js';
import { DATABASE, type Database } from '../../src/database/database.js';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { csvField } from '../../src/kpi/csv.js';
import { haversineM } from '../../src/common/geo.js';
import { MIN, report, T0 } from '../alarms/dispatch.fixture.js';
import { call, startApp, type RunningApp } from '../support/app.js';
import { TEST_INFLUX_URL } from '../support/databases.js';
import { login } from '../live/fixtures.js';

const ADMIN_PASSWORD = 'kpi-admin-password';
const H = 60 * MIN;
const iso = (t: number) => new Date(t).toISOString();
// T0 = 2026-03-02T08:00Z = 16:00 in Shanghai (before sunset); T0 + 6 h = 22:00 local (night).
const FROM = T0 - H;
const TO = T0 + 47 * H;

/** The gateway's line protocol: measurement = kind, tags deviceId/zone, ns timestamps. */
function line(kind: string, deviceId: string, zone: string, ts: number, values: Record<string, number | boolean>): string {
  const fields = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  return `${kind},deviceId=${deviceId},zone=${zone} ${fields.join(',')} ${ts}000000`;
}

async function influx(path: string, params: Record<string, string>, body?: string): Promise<void> {
  const res = await fetch(`${TEST_INFLUX_URL}${path}?${new URLSearchParams(params)}`, { method: 'POST', body });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

describe('KPI cockpit and truck trail over HTTP (PGlite, real InfluxDB, manual clock)', () => {
  const influxDb = `kpi_test_${randomBytes(4).toString('hex')}`;
  const clock = new ManualClock(T0);
  let server: RunningApp;
  let token: string;
  const get = <T = any>(path: string) => call<T>(server.baseUrl, 'GET', path, { token });
  const range = (from = FROM, to = TO) => `from=${iso(from)}&to=${iso(to)}`;

  beforeAll(async () => {
    await influx('/query', { q: `CREATE DATABASE "${influxDb}"` });
    // The rules engine's offline detector would (rightly) find these silent devices offline once the
    // manual clock moves on, racing the seeded alarms: switched off, and checked only hourly.
    server = await startApp({ ADMIN_PASSWORD, INFLUX_DB: influxDb, OFFLINE_CHECK_MS: '3600000' }, { clock });
    const admin = await login(server.baseUrl, 'admin', ADMIN_PASSWORD);
    for (const kind of ['bin', 'toilet', 'septic', 'streetlight', 'truck']) {
      expect((await call(server.baseUrl, 'PUT', `/api/rules/${kind}`, { token: admin, body: { offlineEnabled: false } })).status).toBe(200);
    }
    const devices: [string, string, string][] = [
      ['bin-a1', 'bin', 'A'],
      ['bin-a2', 'bin', 'A'],
      ['septic-a1', 'septic', 'A'],
      ['toilet-a1', 'toilet', 'A'],
      ['streetlight-a1', 'streetlight', 'A'],
      ['streetlight-a2', 'streetlight', 'A'],
      ['truck-a', 'truck', 'A'],
      ['bin-b1', 'bin', 'B'],
      ['streetlight-b1', 'streetlight', 'B'],
    ];
    for (const [id, kind, zone] of devices) {
      const res = await call(server.baseUrl, 'POST', '/api/devices', { token: admin, body: { id, kind, name: id, lat: 30.25, lon: 120.16, zone } });
      expect(res.status).toBe(201);
    }
    expect((await call(server.baseUrl, 'POST', '/api/auth/operators', { token: admin, body: { username: 'vic', password: 'viewer-pass-1', role: 'viewer' } })).status).toBe(201);
    token = await login(server.baseUrl, 'vic', 'viewer-pass-1');

    const db = server.app.get<Database>(DATABASE);
    await db.query(
      `INSERT INTO vehicles (id, name, skill, device_id, capacity_kg, shift_start, shift_end)
       VALUES ('truck-1', 'Truck 1', 'collection', 'truck-a', 8000, '00:00', '23:59'),
              ('tanker-1', 'Tanker 1', 'septic', 'tanker-x', 6000, '00:00', '23:59')`,
    );
    await db.query(`UPDATE vehicles SET contractor = 'c1' WHERE id = 'truck-1'`);
    // Zone A belongs to contractor c1, zone B to c2 (jobs take their contractor from the zone).
    await db.query(`INSERT INTO contractors (id, name) VALUES ('c1', 'Clean Co'), ('c2', 'Other Co')`);
    const square = JSON.stringify({ type: 'Polygon', coordinates: [[[120, 30], [121, 30], [121, 31], [120, 31], [120, 30]]] });
    await db.query(
      `INSERT INTO zones (id, name, contractor, geometry, min_lon, min_lat, max_lon, max_lat)
       VALUES ('A', 'Zone A', 'c1', $1::jsonb, 120, 30, 121, 31), ('B', 'Zone B', 'c2', $1::jsonb, 120, 30, 121, 31)`,
      [square],
    );
    await db.query(
      `INSERT INTO crews (id, name, skill, members, capacity_jobs, shift_start, shift_end, base_lat, base_lon)
       VALUES ('crew-t', 'Toilet crew', 'toilet', ARRAY['tom'], 8, '00:00', '23:59', 30.2, 120.1)`,
    );

    // Jobs, all observed at T0: bin-full/toilet-consumables due T0 + 4 h, septic-full T0 + 24 h.
    const sink = server.app.get<IncidentSink>(INCIDENT_SINK);
    const jobs = server.app.get(JobsService);
    for (const [subject, cause, zone] of [
      ['bin-a1', 'bin-full', 'A'],
      ['bin-a2', 'bin-full', 'A'],
      ['septic-a1', 'septic-full', 'A'],
      ['toilet-a1', 'toilet-consumables', 'A'],
      ['bin-b1', 'bin-full', 'B'],
      ['bin-b2', 'bin-full', 'B'],
    ] as const) {
      await sink.raise(report(subject, cause, { zone }));
    }
    // Offline (a fault): streetlight-a2 stays offline; bin-a2 comes back within the hour.
    await sink.raise(report('streetlight-a2', 'offline', { zone: 'A' }));
    await sink.raise(report('bin-a2', 'offline', { zone: 'A' }));
    const jobOf = async (subject: string) => (await jobs.findOpen(subject))[0]!.jobId;
    const ids = Object.fromEntries(await Promise.all(['bin-a1', 'bin-a2', 'septic-a1', 'toilet-a1', 'bin-b2'].map(async (s) => [s, await jobOf(s)])));
    const work = async (subject: string, unitType: 'vehicle' | 'crew', unitId: string, onSiteAt: number, doneAt: number) => {
      clock.set(onSiteAt - MIN);
      await jobs.assign(ids[subject]!, { unitType, unitId }, 'dora').catch(() => undefined); // the fleet may have assigned it already
      clock.set(onSiteAt);
      await jobs.transition(ids[subject]!, 'on_site', 'dora');
      clock.set(doneAt);
      await jobs.transition(ids[subject]!, 'done', 'dora');
    };
    await work('bin-a1', 'vehicle', 'truck-1', T0 + 30 * MIN, T0 + H); // on time
    await work('septic-a1', 'vehicle', 'tanker-1', T0 + H, T0 + 2 * H); // on time
    await work('toilet-a1', 'crew', 'crew-t', T0 + 2 * H, T0 + 3 * H); // on time
    await work('bin-a2', 'vehicle', 'truck-1', T0 + 270 * MIN, T0 + 5 * H); // late (due T0 + 4 h)
    await jobs.cancel(ids['bin-b2']!, 'dora', 'bin removed'); // cancelled: not counted
    await sink.clear('bin-a2', 'offline', T0 + H, 'back online');

    const lines: string[] = [];
    const night = T0 + 6 * H;
    // streetlight-a1: 3 of 4 night readings lit; streetlight-a2: lit but 0 W (failed) twice; b1: lit once.
    lines.push(line('streetlight', 'streetlight-a1', 'A', night, { lampOn: true, powerW: 60 }));
    lines.push(line('streetlight', 'streetlight-a1', 'A', night + 10 * MIN, { lampOn: true, powerW: 60 }));
    lines.push(line('streetlight', 'streetlight-a1', 'A', night + 20 * MIN, { lampOn: false, powerW: 0 }));
    lines.push(line('streetlight', 'streetlight-a1', 'A', night + 30 * MIN, { lampOn: true, powerW: 30 }));
    lines.push(line('streetlight', 'streetlight-a2', 'A', night, { lampOn: true, powerW: 0 }));
    lines.push(line('streetlight', 'streetlight-a2', 'A', night + 10 * MIN, { lampOn: true, powerW: 0 }));
    lines.push(line('streetlight', 'streetlight-b1', 'B', night, { lampOn: true, powerW: 60 }));
    // Daytime (16:00 local): should be dark, not counted; an unregistered lamp: not counted.
    lines.push(line('streetlight', 'streetlight-a1', 'A', T0, { lampOn: false, powerW: 0 }));
    lines.push(line('streetlight', 'streetlight-zz', 'A', night, { lampOn: false, powerW: 0 }));
    // truck-a: 4 fixes 0.01° of latitude apart; moving (ignition and speed > 0) in 2 of 4.
    const moves: [boolean, number][] = [[true, 30], [true, 0], [true, 40], [false, 0]];
    moves.forEach(([ignition, speedKmh], i) =>
      lines.push(line('truck', 'truck-a', 'A', T0 + H + i * MIN, { lat: 30.25 + 0.01 * i, lon: 120.16, speedKmh, headingDeg: 0, ignition })),
    );
    await influx('/write', { db: influxDb, precision: 'ns' }, lines.join('\n'));
  });
  afterAll(async () => {
    await server?.close();
    await influx('/query', { q: `DROP DATABASE "${influxDb}"` }).catch(() => undefined);
  });

  it('computes every figure for a zone over a period', async () => {
    const res = await get<KpiReport>(`/api/kpi?${range()}&zone=A`);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.faultTimeliness).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
    expect(r.septicWithinSla).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    // bin-a1 on time, bin-a2 late (no level proof recorded, so judged by due time).
    expect(r.binsBeforeOverflow).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    // 6 devices in A (the truck excluded); streetlight-a2 is offline at `to`, bin-a2 recovered.
    expect(r.facilityIntegrity).toEqual({ numerator: 5, denominator: 6, rate: 5 / 6 });
    expect(r.lightingRate).toEqual({ numerator: 3, denominator: 6, rate: 0.5 });
    expect(r.responseByJobType).toEqual([
      { type: 'collection', count: 2, avgMinutes: 150 },
      { type: 'pumping', count: 1, avgMinutes: 60 },
      { type: 'restock', count: 1, avgMinutes: 120 },
    ]);
    const km = (3 * haversineM({ lat: 30.25, lon: 120.16 }, { lat: 30.26, lon: 120.16 })) / 1000;
    expect(r.trucks.find((t) => t.vehicleId === 'truck-1')).toMatchObject({ deviceId: 'truck-a', fixes: 4, movingFixes: 2, utilisation: 0.5 });
    expect(r.trucks.find((t) => t.vehicleId === 'truck-1')!.distanceKm).toBeCloseTo(km, 2);
    expect(r.trucks.find((t) => t.vehicleId === 'tanker-1')).toMatchObject({ fixes: 0, distanceKm: 0, utilisation: null });
    expect(r.truncated).toEqual([]);
  });

  it('without a zone counts every zone; an empty zone has null rates', async () => {
    const all = (await get<KpiReport>(`/api/kpi?${range()}`)).body;
    expect(all.faultTimeliness).toEqual({ numerator: 3, denominator: 5, rate: 0.6 }); // bin-b1 still open, bin-b2 cancelled
    expect(all.facilityIntegrity).toEqual({ numerator: 7, denominator: 8, rate: 7 / 8 });
    expect(all.lightingRate).toEqual({ numerator: 4, denominator: 7, rate: 4 / 7 });
    const b = (await get<KpiReport>(`/api/kpi?${range()}&zone=B`)).body;
    expect(b.faultTimeliness).toEqual({ numerator: 0, denominator: 1, rate: 0 });
    expect(b.lightingRate).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    const none = (await get<KpiReport>(`/api/kpi?${range()}&zone=nowhere`)).body;
    expect(none.faultTimeliness).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(none.facilityIntegrity.rate).toBeNull();
    // Integrity is judged at `to`: before the offline alarm opened every device was intact.
    const before = (await get<KpiReport>(`/api/kpi?${range(T0 - 2 * H, T0 - MIN)}&zone=A`)).body;
    expect(before.facilityIntegrity).toEqual({ numerator: 6, denominator: 6, rate: 1 });
  });

  it('a contractor filter counts its zones\' jobs, devices and lamps, and its vehicles', async () => {
    const c1 = (await get<KpiReport>(`/api/kpi?${range()}&contractor=c1`)).body;
    expect(c1.faultTimeliness).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
    expect(c1.facilityIntegrity).toEqual({ numerator: 5, denominator: 6, rate: 5 / 6 });
    expect(c1.lightingRate).toEqual({ numerator: 3, denominator: 6, rate: 0.5 });
    expect(c1.trucks.map((t) => t.vehicleId)).toEqual(['truck-1']);
    const c2 = (await get<KpiReport>(`/api/kpi?${range()}&contractor=c2`)).body;
    expect(c2.faultTimeliness).toEqual({ numerator: 0, denominator: 1, rate: 0 });
    expect(c2.facilityIntegrity).toEqual({ numerator: 2, denominator: 2, rate: 1 });
    expect(c2.trucks).toEqual([]);
  });

  it('trend: per day bucket', async () => {
    const res = await get<KpiTrend>(`/api/kpi/trend?${range()}&zone=A&bucket=day`);
    expect(res.status).toBe(200);
    expect(res.body.points.map((p) => [p.from, p.to, p.faultTimeliness.rate, p.faultTimeliness.denominator, p.facilityIntegrity.numerator, p.lightingRate.denominator])).toEqual([
      [iso(FROM), iso(FROM + 24 * H), 2 / 3, 3, 5, 6], // bins + restock due T0 + 4 h
      [iso(FROM + 24 * H), iso(TO), 1, 1, 5, 0], // pumping due T0 + 24 h
    ]);
  });

  it('answers CSV with one header row and RFC 4180 quoting', async () => {
    const res = await fetch(`${server.baseUrl}/api/kpi?${range()}&zone=A&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('figure,subject,numerator,denominator,value');
    expect(lines).toContain('faultTimeliness,,3,4,0.75');
    expect(lines).toContain('responseMinutes,collection,2,,150');
    expect(lines).toContain('truckUtilisation,truck-1,2,4,0.5');
    const trend = await fetch(`${server.baseUrl}/api/kpi/trend?${range()}&zone=A&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    const trendLines = (await trend.text()).trimEnd().split('\r\n');
    expect(trendLines).toHaveLength(3);
    expect(trendLines[0]!.split(',')).toHaveLength(11);
    expect(csvField('a,"b')).toBe('"a,""b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(null)).toBe('');
  });

  it('trail: fixes in time order; 404 unknown vehicle; CSV', async () => {
    const res = await get<VehicleTrail>(`/api/vehicles/truck-1/trail?${range(T0, T0 + 2 * H)}`);
    expect(res.status).toBe(200);
    expect(res.body.fixes).toHaveLength(4);
    expect(res.body.fixes[0]).toEqual({ ts: iso(T0 + H), lat: 30.25, lon: 120.16, speedKmh: 30, headingDeg: 0 });
    expect(res.body.fixes.map((f) => f.lat)).toEqual([30.25, 30.26, 30.27, 30.28]);
    expect((await get(`/api/vehicles/nope/trail?${range(T0, T0 + H)}`)).status).toBe(404);
    const csv = await fetch(`${server.baseUrl}/api/vehicles/truck-1/trail?${range(T0, T0 + 2 * H)}&format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect((await csv.text()).split('\r\n')[0]).toBe('ts,lat,lon,speedKmh,headingDeg');
  });

  it('400 naming the field', async () => {
    const missing = await get(`/api/kpi?to=${iso(TO)}`);
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('from');
    const bad = await get(`/api/kpi?from=yesterday&to=${iso(TO)}`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('from');
    const order = await get(`/api/kpi?${range(TO, FROM)}`);
    expect(order.status).toBe(400);
    expect(order.body.message).toMatch(/^to: /);
    const long = await get(`/api/kpi?${range(FROM, FROM + 367 * 24 * H)}`);
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/^to: .*366 days/);
    const buckets = await get(`/api/kpi/trend?${range(FROM, FROM + 100 * 24 * H)}&bucket=day`);
    expect(buckets.status).toBe(400);
    expect(buckets.body.message).toMatch(/^bucket: /);
    const trail = await get(`/api/vehicles/truck-1/trail?${range(FROM, FROM + 8 * 24 * H)}`);
    expect(trail.status).toBe(400);
    expect(trail.body.message).toMatch(/^to: .*7 days/);
    expect((await call(server.baseUrl, 'GET', `/api/kpi?${range()}`)).status).toBe(401);
  });
});
