import { INTERNAL_READINGS_TOPIC, basemapSchema, mapSnapshotFromColumns, type AssetState, type Basemap, type MapSnapshot, type MapSnapshotColumns, type ReadingsBatch, type UiConfig } from '@sanitation/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/clock.js';
import { ReadingsConsumer } from '../../src/ingest/readings.consumer.js';
import { call, startApp, type RunningApp } from '../support/app.js';
import { eventually, startBroker, type TestBroker } from '../support/broker.js';
import { login } from '../live/fixtures.js';

const ADMIN_PASSWORD = 'map-admin-password';
const T0 = Date.parse('2026-11-27T06:00:00.000Z');

const BASEMAP: Basemap = {
  type: 'FeatureCollection',
  properties: { name: 'Test City', center: [120.15, 30.25], bbox: [120.1, 30.2, 120.2, 30.3] },
  features: [
    { type: 'Feature', geometry: { type: 'LineString', coordinates: [[120.1, 30.2], [120.2, 30.3]] }, properties: { layer: 'street', id: 'street-1', name: 'Main St', class: 'main', lengthM: 1400 } },
    {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[[120.1, 30.2], [120.2, 30.2], [120.2, 30.3], [120.1, 30.2]]] },
      properties: { layer: 'zone', id: 'A', name: 'Zone A', zoneType: 'residential' },
    },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [120.12, 30.22] }, properties: { layer: 'depot', id: 'depot-1', name: 'North depot' } },
  ],
};

describe('dashboard map API over HTTP (PGlite, readings through a real MQTT hand-off)', () => {
  const clock = new ManualClock(T0);
  let broker: TestBroker;
  let server: RunningApp;
  let gateway: mqtt.MqttClient;
  let admin: string;
  let crew: string;
  let viewer: string;
  const get = <T = any>(path: string, token = viewer) => call<T>(server.baseUrl, 'GET', path, { token });

  beforeAll(async () => {
    broker = await startBroker();
    server = await startApp(
      { ADMIN_PASSWORD, GATEWAY_MQTT_URLS: broker.url, CLOCK_SPEED: '60', MAPBOX_TOKEN: 'pk.test-token', DEFAULT_LOCALE: 'en', OFFLINE_CHECK_MS: '3600000' },
      { clock },
    );
    admin = await login(server.baseUrl, 'admin', ADMIN_PASSWORD);
    for (const [username, role] of [['carl', 'crew'], ['vera', 'viewer']] as const) {
      expect((await call(server.baseUrl, 'POST', '/api/auth/operators', { token: admin, body: { username, password: `${username}-pass-1`, role } })).status).toBe(201);
    }
    crew = await login(server.baseUrl, 'carl', 'carl-pass-1');
    viewer = await login(server.baseUrl, 'vera', 'vera-pass-1');
    const devices: [string, string, string][] = [
      ['bin-1', 'bin', 'A'],
      ['bin-2', 'bin', 'B'],
      ['light-1', 'streetlight', 'A'],
      ['truck-1', 'truck', 'A'],
      ['bin-gone', 'bin', 'A'],
    ];
    for (const [id, kind, zone] of devices) {
      const res = await call(server.baseUrl, 'POST', '/api/devices', { token: admin, body: { id, kind, name: `Name of ${id}`, lat: 30.25, lon: 120.15, zone } });
      expect(res.status).toBe(201);
    }
    expect((await call(server.baseUrl, 'POST', '/api/devices/bin-gone/revoke', { token: admin })).status).toBeLessThan(300);
    await eventually(() => server.app.get(ReadingsConsumer).connections()[0]?.connected, 'the server to connect to the broker');
    gateway = await mqtt.connectAsync(broker.url, { clientId: 'test-gateway', protocolVersion: 4 });
  });
  afterAll(async () => {
    await gateway?.endAsync();
    await server?.close();
    await broker?.close();
  });

  it('GET /api/ui-config is public and carries the configured settings and the server clock', async () => {
    const res = await call<UiConfig>(server.baseUrl, 'GET', '/api/ui-config');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      mapboxToken: 'pk.test-token',
      mapboxStyle: 'mapbox://styles/mapbox/streets-v12',
      cityTimeZone: 'Asia/Shanghai',
      defaultLocale: 'en',
      serverNow: T0,
      clockSpeed: 60,
    });
  });

  it('base map: 404 naming the fix before any upload; admin PUTs, any operator GETs it back', async () => {
    const none = await get('/api/map/basemap', crew);
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ code: 'BASEMAP_NOT_FOUND', message: expect.stringContaining('PUT /api/map/basemap') });

    const put = await call(server.baseUrl, 'PUT', '/api/map/basemap', { token: admin, body: BASEMAP });
    expect(put.status).toBe(204);
    const back = await get<Basemap>('/api/map/basemap', crew);
    expect(back.status).toBe(200);
    expect(back.body).toEqual(BASEMAP);
    expect(basemapSchema.parse(back.body)).toEqual(BASEMAP);

    // Replaced whole on the next upload.
    const smaller = { ...BASEMAP, properties: { ...BASEMAP.properties, name: 'Renamed' }, features: BASEMAP.features.slice(0, 1) };
    expect((await call(server.baseUrl, 'PUT', '/api/map/basemap', { token: admin, body: smaller })).status).toBe(204);
    expect((await get<Basemap>('/api/map/basemap')).body).toEqual(smaller);

    // A city-sized map travels gzipped to a client that accepts it.
    const streets = Array.from({ length: 300 }, (_, i) => ({
      type: 'Feature' as const,
      geometry: { type: 'LineString' as const, coordinates: [[120.1 + i / 1e4, 30.2], [120.1 + i / 1e4, 30.3]] },
      properties: { layer: 'street' as const, id: `street-${i}`, name: `Street ${i}`, class: 'local' },
    }));
    const big = { ...BASEMAP, features: [...BASEMAP.features, ...streets] };
    expect((await call(server.baseUrl, 'PUT', '/api/map/basemap', { token: admin, body: big })).status).toBe(204);
    const zipped = await fetch(`${server.baseUrl}/api/map/basemap`, { headers: { authorization: `Bearer ${viewer}`, 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(await zipped.json()).toEqual(big);
    expect((await call(server.baseUrl, 'PUT', '/api/map/basemap', { token: admin, body: smaller })).status).toBe(204);
  });

  it('base map: a non-admin gets 403, nobody 401, and a bad body 400 naming the field', async () => {
    expect((await call(server.baseUrl, 'PUT', '/api/map/basemap', { token: viewer, body: BASEMAP })).status).toBe(403);
    expect((await call(server.baseUrl, 'PUT', '/api/map/basemap', { token: crew, body: BASEMAP })).status).toBe(403);
    expect((await call(server.baseUrl, 'PUT', '/api/map/basemap', { body: BASEMAP })).status).toBe(401);
    expect((await call(server.baseUrl, 'GET', '/api/map/basemap')).status).toBe(401);

    const badLayer = structuredClone(BASEMAP) as any;
    badLayer.features[2].properties.layer = 'device';
    const res = await call(server.baseUrl, 'PUT', '/api/map/basemap', { token: admin, body: badLayer });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('features.2.properties.layer');

    const nested = structuredClone(BASEMAP) as any;
    nested.features[0].properties.attributes = { nested: true };
    const res2 = await call(server.baseUrl, 'PUT', '/api/map/basemap', { token: admin, body: nested });
    expect(res2.status).toBe(400);
    expect(res2.body.message).toContain('features.0.properties.attributes');
    expect((await get<Basemap>('/api/map/basemap')).body.properties.name).toBe('Renamed');
  });

  it('snapshot lists every active device (no reading yet: null state, offline), filters by kind and zone', async () => {
    const res = await get<MapSnapshot>('/api/map/snapshot', crew);
    expect(res.status).toBe(200);
    expect(res.body.at).toBe(clock.now());
    expect(res.body.devices.map((d) => d.id).sort()).toEqual(['bin-1', 'bin-2', 'light-1', 'truck-1']);
    expect(res.body.devices.find((d) => d.id === 'bin-2')).toEqual({
      id: 'bin-2',
      kind: 'bin',
      name: 'Name of bin-2',
      zone: 'B',
      lat: 30.25,
      lon: 120.15,
      online: false,
      ts: null,
      values: null,
    });
    expect(res.body.trucks).toEqual([]);

    expect((await get<MapSnapshot>('/api/map/snapshot?kind=bin')).body.devices.map((d) => d.id).sort()).toEqual(['bin-1', 'bin-2']);
    expect((await get<MapSnapshot>('/api/map/snapshot?zone=A')).body.devices.map((d) => d.id).sort()).toEqual(['bin-1', 'light-1', 'truck-1']);
    expect((await get<MapSnapshot>('/api/map/snapshot?kind=bin&zone=B')).body.devices.map((d) => d.id)).toEqual(['bin-2']);
    const bad = await get('/api/map/snapshot?kind=tree');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('kind');

    // A device registered after the first snapshot appears (with its name) in the next one.
    await call(server.baseUrl, 'POST', '/api/devices', { token: admin, body: { id: 'bin-3', kind: 'bin', name: 'Late bin', lat: 30.2, lon: 120.1, zone: 'B' } });
    const later = await get<MapSnapshot>('/api/map/snapshot?zone=B');
    expect(later.body.devices.find((d) => d.id === 'bin-3')).toMatchObject({ name: 'Late bin', ts: null });
  });

  it('a reading handed over by the gateway shows in the snapshot and the asset; truck positions too', async () => {
    const batch: ReadingsBatch = {
      gatewayId: 'gw-test',
      readings: [
        { deviceId: 'bin-1', kind: 'bin', zone: 'A', ts: T0 - 2_000, seq: 1, values: { fillPct: 42, tempC: 21 }, receivedAt: T0 },
        { deviceId: 'bin-1', kind: 'bin', zone: 'A', ts: T0 - 1_000, seq: 2, values: { fillPct: 43, tempC: 21 }, receivedAt: T0 },
        { deviceId: 'truck-1', kind: 'truck', zone: 'A', ts: T0 - 500, seq: 1, values: { lat: 30.26, lon: 120.16, speedKmh: 25, headingDeg: 90, loadKg: 1200 }, receivedAt: T0 },
      ],
    };
    await gateway.publishAsync(INTERNAL_READINGS_TOPIC, JSON.stringify(batch), { qos: 1 });
    const snapshot = await eventually(async () => {
      const s = (await get<MapSnapshot>('/api/map/snapshot')).body;
      return s.devices.find((d) => d.id === 'bin-1')?.ts === T0 - 1_000 && s.trucks.length === 1 ? s : null;
    }, 'the readings to reach the snapshot');
    expect(snapshot.devices.find((d) => d.id === 'bin-1')).toMatchObject({ online: true, ts: T0 - 1_000, values: { fillPct: 43, tempC: 21 } });
    expect(snapshot.trucks).toEqual([
      { deviceId: 'truck-1', vehicleId: null, lat: 30.26, lon: 120.16, speedKmh: 25, headingDeg: 90, loadKg: 1200, ts: T0 - 500 },
    ]);
    expect((await get<MapSnapshot>('/api/map/snapshot?kind=bin')).body.trucks).toEqual([]);
    expect((await get<MapSnapshot>('/api/map/snapshot?zone=B')).body.trucks).toEqual([]);

    // The columns format carries the same assets, states and trucks (grouped by kind).
    const objects = (await get<MapSnapshot>('/api/map/snapshot')).body;
    const columns = await get<MapSnapshotColumns>('/api/map/snapshot?format=columns');
    expect(columns.status).toBe(200);
    expect(columns.body.format).toBe('columns');
    expect(columns.body.groups.find((g) => g.kind === 'bin')?.values['fillPct']).toEqual(expect.arrayContaining([43]));
    const byId = (devices: AssetState[]) => [...devices].sort((x, y) => x.id.localeCompare(y.id));
    const expanded = mapSnapshotFromColumns(columns.body);
    expect(byId(expanded.devices)).toEqual(byId(objects.devices));
    expect(expanded.devices.find((d) => d.id === 'bin-1')).toMatchObject({ zone: 'A', online: true, ts: T0 - 1_000, values: { fillPct: 43, tempC: 21 } });
    expect(expanded.trucks).toEqual(objects.trucks);
    const zoneB = mapSnapshotFromColumns((await get<MapSnapshotColumns>('/api/map/snapshot?format=columns&zone=B')).body);
    expect(byId(zoneB.devices)).toEqual(byId((await get<MapSnapshot>('/api/map/snapshot?zone=B')).body.devices));
    expect((await get('/api/map/snapshot?format=csv')).status).toBe(400);

    const asset = await get<AssetState>('/api/map/assets/bin-1', crew);
    expect(asset.status).toBe(200);
    expect(asset.body).toEqual({ id: 'bin-1', kind: 'bin', name: 'Name of bin-1', zone: 'A', lat: 30.25, lon: 120.15, online: true, ts: T0 - 1_000, values: { fillPct: 43, tempC: 21 } });
  });

  it("a device's retained MQTT status makes a silent device online; assets/:id answers 404 for an unknown id", async () => {
    await gateway.publishAsync('sanitation/v1/bin/bin-2/status', 'online', { qos: 1, retain: true });
    await eventually(async () => (await get<AssetState>('/api/map/assets/bin-2')).body.online === true, 'bin-2 to be online');
    expect((await get<AssetState>('/api/map/assets/bin-2')).body).toMatchObject({ ts: null, values: null, online: true });

    const missing = await get('/api/map/assets/no-such-bin');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'ASSET_NOT_FOUND', message: expect.stringContaining('no-such-bin') });
  });
});
