import type { LoginResponse, RegisterDeviceResponse } from '@sanitation/contracts';
import { verifyDeviceSecret } from '@sanitation/contracts/credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, INTERNAL_TOKEN, startApp, type RunningApp } from './support/app.js';
import { eventually, startBroker, type TestBroker } from './support/broker.js';
import { createTestPgDatabase } from './support/databases.js';

const ADMIN_PASSWORD = 'correct-horse-battery';

describe('HTTP API (PGlite, real listening server)', () => {
  let broker: TestBroker;
  let server: RunningApp;
  let url: string;
  let admin: string;

  beforeAll(async () => {
    broker = await startBroker();
    server = await startApp({ ADMIN_PASSWORD, GATEWAY_MQTT_URLS: broker.url });
    url = server.baseUrl;
    const login = await call<LoginResponse>(url, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(login.status).toBe(200);
    admin = login.body.token;
  });
  afterAll(async () => {
    await server?.close();
    await broker?.close();
  });

  it('logs in with the right password and refuses a wrong one with 401', async () => {
    const ok = await call<LoginResponse>(url, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(ok.body.user).toEqual({ username: 'admin', role: 'admin' });
    expect(ok.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(ok.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 11 * 3_600_000);
    const wrong = await call(url, 'POST', '/api/auth/login', { body: { username: 'admin', password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    const nobody = await call(url, 'POST', '/api/auth/login', { body: { username: 'ghost', password: 'whatever1' } });
    expect(nobody.status).toBe(401);
    const missing = await call(url, 'POST', '/api/auth/login', { body: { username: 'admin' } });
    expect(missing.status).toBe(400);
    expect(missing.body.issues).toEqual([{ path: 'password', message: expect.any(String) }]);
  });

  it('requires a token on every route but login, health and docs', async () => {
    for (const [method, path] of [
      ['GET', '/api/devices'],
      ['GET', '/api/devices/x'],
      ['POST', '/api/devices'],
      ['POST', '/api/devices/import'],
      ['POST', '/api/devices/x/revoke'],
      ['POST', '/api/devices/x/secret'],
      ['POST', '/api/auth/operators'],
      ['GET', '/api/internal/credentials'],
    ] as const) {
      const res = await call(url, method, path, { body: method === 'POST' ? {} : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect((await call(url, 'GET', '/api/devices', { token: 'made-up-token' })).status).toBe(401);
    expect((await call(url, 'GET', '/api/health')).status).toBe(200);
  });

  it('lets a viewer read but not register (403)', async () => {
    const created = await call(url, 'POST', '/api/auth/operators', {
      token: admin,
      body: { username: 'vera', password: 'viewer-pass-1', role: 'viewer' },
    });
    expect(created.status).toBe(201);
    const login = await call<LoginResponse>(url, 'POST', '/api/auth/login', { body: { username: 'vera', password: 'viewer-pass-1' } });
    const viewer = login.body.token;
    expect((await call(url, 'GET', '/api/devices', { token: viewer })).status).toBe(200);
    const register = await call(url, 'POST', '/api/devices', {
      token: viewer,
      body: { id: 'v-1', kind: 'bin', name: 'n', lat: 1, lon: 1 },
    });
    expect(register.status).toBe(403);
    expect(register.body.message).toMatch(/admin/);
    expect((await call(url, 'POST', '/api/auth/operators', { token: viewer, body: { username: 'x', password: 'xxxxxxxx', role: 'admin' } })).status).toBe(403);
  });

  it('answers 400 naming the field for bad bodies and queries', async () => {
    const res = await call(url, 'POST', '/api/devices', {
      token: admin,
      body: { id: 'bad-lat', kind: 'bin', name: 'n', lat: 123, lon: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', issues: [{ path: 'lat', message: expect.any(String) }] });
    expect(res.body.message).toMatch(/^lat: /);

    const envelope = await call(url, 'POST', '/api/devices/import', { token: admin, body: { type: 'Feature', features: [] } });
    expect(envelope.status).toBe(400);
    expect(envelope.body.issues[0].path).toBe('type');

    const query = await call(url, 'GET', '/api/devices?limit=0&kind=lamp', { token: admin });
    expect(query.status).toBe(400);
    expect(query.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['kind', 'limit']);

    const malformed = await call(url, 'POST', '/api/devices', { token: admin, rawBody: '{"id": ' });
    expect(malformed.status).toBe(400);
    expect((await call(url, 'GET', '/api/health')).status).toBe(200); // and the server keeps serving
  });

  it('imports GeoJSON: invalid features named by path and index, the valid ones imported', async () => {
    const features = Array.from({ length: 5 }, (_, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [116.4 + i / 100, 39.9] },
      properties: { id: `geo-${i}`, kind: 'streetlight', name: `Lamp ${i}`, attributes: { cabinetId: 'C-7' } },
    }));
    (features[3]!.properties as { kind: string }).kind = 'lamp';
    const res = await call(url, 'POST', '/api/devices/import', { token: admin, body: { type: 'FeatureCollection', features } });
    expect(res.status).toBe(200);
    expect(res.body.created.map((c: { deviceId: string }) => c.deviceId)).toEqual(['geo-0', 'geo-1', 'geo-2', 'geo-4']);
    expect(res.body.errors).toEqual([{ index: 3, deviceId: 'geo-3', error: expect.stringMatching(/^features\.3\.properties\.kind: /) }]);
    const device = await call(url, 'GET', '/api/devices/geo-4', { token: admin });
    expect(device.body).toMatchObject({ deviceId: 'geo-4', kind: 'streetlight', lon: 116.4 + 4 / 100, lat: 39.9, attributes: { cabinetId: 'C-7' } });
  });

  it('returns the secret once; it verifies against the hash the gateways get from the internal endpoint', async () => {
    const reg = await call<RegisterDeviceResponse>(url, 'POST', '/api/devices', {
      token: admin,
      body: { id: 'toilet-7', kind: 'toilet', name: 'Park toilet', lat: 39.9, lon: 116.4, zone: 'north', attributes: { stalls: 6 } },
    });
    expect(reg.status).toBe(201);
    const { secret, device } = reg.body;
    expect(device).toMatchObject({ deviceId: 'toilet-7', status: 'active', zone: 'north' });
    const fetched = await call(url, 'GET', '/api/devices/toilet-7', { token: admin });
    expect(JSON.stringify(fetched.body)).not.toContain(secret);
    const listed = await call(url, 'GET', '/api/devices?zone=north', { token: admin });
    expect(listed.body.total).toBe(1);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const sync = await call(url, 'GET', '/api/internal/credentials', { token: INTERNAL_TOKEN });
    expect(sync.status).toBe(200);
    expect(sync.body.full).toBe(true);
    const credential = sync.body.devices.find((d: { deviceId: string }) => d.deviceId === 'toilet-7');
    expect(credential).toMatchObject({ kind: 'toilet', zone: 'north', revoked: false });
    expect(verifyDeviceSecret(secret, credential.secretHash)).toBe(true);

    const dup = await call(url, 'POST', '/api/devices', { token: admin, body: { id: 'toilet-7', kind: 'bin', name: 'n', lat: 1, lon: 1 } });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain('toilet-7');

    const rotated = await call(url, 'POST', '/api/devices/toilet-7/secret', { token: admin });
    expect(rotated.status).toBe(200);
    const revoked = await call(url, 'POST', '/api/devices/toilet-7/revoke', { token: admin });
    expect(revoked.body.status).toBe('revoked');
    const delta = await call(url, 'GET', `/api/internal/credentials?since=${sync.body.cursor}`, { token: INTERNAL_TOKEN });
    expect(delta.body.full).toBe(false);
    expect(delta.body.devices).toHaveLength(1);
    expect(delta.body.devices[0]).toMatchObject({ deviceId: 'toilet-7', revoked: true });
    expect(verifyDeviceSecret(rotated.body.secret, delta.body.devices[0].secretHash)).toBe(true);
    expect(verifyDeviceSecret(secret, delta.body.devices[0].secretHash)).toBe(false);

    const missing = await call(url, 'GET', '/api/devices/no-such-thing', { token: admin });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('no-such-thing');
  });

  it('the internal endpoint refuses operator tokens and a wrong internal token', async () => {
    expect((await call(url, 'GET', '/api/internal/credentials', { token: admin })).status).toBe(401);
    expect((await call(url, 'GET', '/api/internal/credentials', { token: `${INTERNAL_TOKEN}x` })).status).toBe(401);
    expect((await call(url, 'GET', '/api/internal/credentials')).status).toBe(401);
    // ...and the internal token is no operator token.
    expect((await call(url, 'GET', '/api/devices', { token: INTERNAL_TOKEN })).status).toBe(401);
    expect((await call(url, 'GET', '/api/internal/credentials?since=xyz', { token: INTERNAL_TOKEN })).status).toBe(400);
  });

  it('health reports the database, InfluxDB and the gateway connection', async () => {
    const health = await eventually(async () => {
      const res = await call(url, 'GET', '/api/health');
      return res.body.dependencies.mqtt.status === 'ok' ? res : null;
    }, 'the readings consumer to connect');
    expect(health.body).toMatchObject({
      status: 'ok',
      dependencies: {
        database: { status: 'ok', detail: 'pglite' },
        influxdb: { status: 'ok' },
        mqtt: { status: 'ok', detail: `${broker.url} connected` },
      },
    });
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const page = await fetch(`${url}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
    const doc = await call(url, 'GET', '/api/docs-json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/devices',
        '/api/devices/import',
        '/api/devices/{id}',
        '/api/devices/{id}/secret',
        '/api/devices/{id}/revoke',
        '/api/internal/credentials',
        '/api/auth/login',
        '/api/health',
      ]),
    );
    expect(doc.body.paths['/api/devices'].post.requestBody.content['application/json'].schema.required).toContain('lat');
  });
});

describe('HTTP API on PostgreSQL: first start without ADMIN_PASSWORD', () => {
  let db: Awaited<ReturnType<typeof createTestPgDatabase>>;
  beforeAll(async () => {
    db = await createTestPgDatabase();
  });
  afterAll(async () => db?.drop());

  it('prints a generated admin password once, which logs in; degraded health names what is down', async () => {
    const printed: string[] = [];
    const first = await startApp({ DATABASE_URL: db.url, INFLUX_URL: 'http://127.0.0.1:1' }, { printAdminPassword: (t) => printed.push(t) });
    let password: string;
    try {
      expect(printed).toHaveLength(1);
      password = /password (\S+)/.exec(printed[0]!)![1]!;
      const login = await call(first.baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin', password } });
      expect(login.status).toBe(200);
      const health = await call(first.baseUrl, 'GET', '/api/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('degraded');
      expect(health.body.dependencies.database).toEqual({ status: 'ok', detail: 'postgresql' });
      expect(health.body.dependencies.influxdb.status).toBe('down');
      expect(health.body.dependencies.mqtt).toMatchObject({ status: 'down', detail: expect.stringContaining('mqtt://127.0.0.1:1 disconnected') });
    } finally {
      await first.close();
    }
    const second = await startApp({ DATABASE_URL: db.url }, { printAdminPassword: (t) => printed.push(t) });
    try {
      expect(printed).toHaveLength(1); // not again
      const login = await call(second.baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin', password } });
      expect(login.status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
