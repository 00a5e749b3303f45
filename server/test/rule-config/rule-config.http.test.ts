import { RULE_DEFAULTS, type LoginResponse } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleConfigService } from '../../src/rule-config/rule-config.service.js';
import { call, startApp, type RunningApp } from '../support/app.js';

const ADMIN_PASSWORD = 'rules-admin-password';

describe('rule thresholds API', () => {
  let server: RunningApp;
  let admin: string;
  const api = <T = any>(method: string, path: string, body?: unknown, token = admin) => call<T>(server.baseUrl, method, path, { token, body });

  beforeAll(async () => {
    server = await startApp({ ADMIN_PASSWORD, SCHEDULER_TICK_MS: '0' });
    admin = (await call<LoginResponse>(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
    await api('POST', '/api/devices', { id: 'bin-1', kind: 'bin', name: 'B1', lat: 30.2, lon: 120.1, zone: 'west' });
    await api('POST', '/api/devices', { id: 'bin-2', kind: 'bin', name: 'B2', lat: 30.2, lon: 120.1, zone: 'east' });
  });
  afterAll(async () => server?.close());

  it('answers the defaults of every kind in one object', async () => {
    const res = await api('GET', '/api/rules');
    expect(res.status).toBe(200);
    expect(res.body.defaults.bin).toMatchObject({ fullPct: 80, clearPct: 40, fireTempC: 60, fireJumpC: 15, batteryLowPct: 15 });
    expect(res.body.defaults.septic.fullPct).toBe(85);
    expect(res.body.defaults.streetlight).toMatchObject({ graceMin: 15, cabinetOpenShare: 0.6, cyclingMinTransitions: 6 });
    expect(res.body.defaults.truck).toEqual(expect.objectContaining({ offlineMultiplier: 3 }));
    expect(res.body.overrides).toEqual([]);
  });

  it('layers defaults ← kind ← zone ← device, versions every PUT, and keeps who/when', async () => {
    expect((await api('PUT', '/api/rules/bin', { fullPct: 85 })).body).toMatchObject({ kind: 'bin', scope: 'kind', target: null, version: 1, createdBy: 'admin' });
    expect((await api('PUT', '/api/rules/bin', { fireTempC: 70 })).body).toMatchObject({ version: 2, params: { fullPct: 85, fireTempC: 70 } });
    expect((await api('PUT', '/api/rules/bin/zones/west', { fullPct: 75 })).status).toBe(200);
    expect((await api('PUT', '/api/rules/bin/devices/bin-1', { fullPct: 90, clearPct: 50 })).status).toBe(200);

    const device = await api('GET', '/api/rules/bin/effective?deviceId=bin-1');
    expect(device.body).toMatchObject({ kind: 'bin', zone: 'west', deviceId: 'bin-1' });
    expect(device.body.params).toMatchObject({ fullPct: 90, clearPct: 50, fireTempC: 70, batteryLowPct: RULE_DEFAULTS.bin.batteryLowPct });
    expect(device.body.sources).toMatchObject({ fullPct: 'device', fireTempC: 'kind', batteryLowPct: 'default' });
    expect((await api('GET', '/api/rules/bin/effective?deviceId=bin-2')).body.params.fullPct).toBe(85);
    expect((await api('GET', '/api/rules/bin/effective?zone=west')).body.params.fullPct).toBe(75);

    // The engine sees the same (from its in-memory cache, invalidated by the PUT).
    const rules = server.app.get(RuleConfigService);
    expect(rules.effective('bin', 'west', 'bin-1').params.fullPct).toBe(90);
    // null removes the field from the device override: the zone's value applies again.
    expect((await api('PUT', '/api/rules/bin/devices/bin-1', { fullPct: null })).body).toMatchObject({ version: 2, params: { clearPct: 50 } });
    expect(rules.effective('bin', 'west', 'bin-1').params.fullPct).toBe(75);

    const history = await api('GET', '/api/rules/history?kind=bin');
    expect(history.body.map((v: any) => `${v.scope}:${v.target ?? ''}:v${v.version}`)).toEqual(['device:bin-1:v2', 'device:bin-1:v1', 'zone:west:v1', 'kind::v2', 'kind::v1']);
    expect(history.body.every((v: any) => v.createdBy === 'admin' && !Number.isNaN(Date.parse(v.createdAt)))).toBe(true);
    const current = await api('GET', '/api/rules');
    expect(current.body.overrides.map((o: any) => `${o.scope}:${o.target ?? ''}:v${o.version}`).sort()).toEqual(['device:bin-1:v2', 'kind::v2', 'zone:west:v1']);
  });

  it('answers 400 naming the field for bad values, unknown fields, kind-only fields and crossed levels', async () => {
    const tooBig = await api('PUT', '/api/rules/bin', { fullPct: 180 });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.message).toMatch(/^fullPct: /);
    const wrongType = await api('PUT', '/api/rules/toilet', { nh3Ppm: 'lots' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.message).toMatch(/nh3Ppm/);
    const unknown = await api('PUT', '/api/rules/septic', { levelLimit: 3 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/levelLimit/);
    const kindOnly = await api('PUT', '/api/rules/bin/zones/west', { offlineMultiplier: 5 });
    expect(kindOnly.status).toBe(400);
    expect(kindOnly.body.message).toMatch(/offlineMultiplier: can be set per kind only/);
    const crossed = await api('PUT', '/api/rules/bin/zones/east', { clearPct: 90 });
    expect(crossed.status).toBe(400);
    expect(crossed.body.message).toMatch(/clearPct: must be below fullPct/);
    expect((await api('PUT', '/api/rules/lamp', { x: 1 })).status).toBe(400);
    expect((await api('PUT', '/api/rules/bin/devices/nope', { fullPct: 70 })).status).toBe(404);
    expect((await api('PUT', '/api/rules/toilet/devices/bin-1', { nh3Ppm: 20 })).status).toBe(400);
    expect((await api('GET', '/api/rules/history?kind=lamp')).status).toBe(400);
    // Nothing of that was stored.
    expect((await api('GET', '/api/rules/history')).body).toHaveLength(5);
  });

  it('lets a viewer read but not change thresholds', async () => {
    await api('POST', '/api/auth/operators', { username: 'dora', password: 'dispatch-pass-1', role: 'dispatcher' });
    await api('POST', '/api/auth/operators', { username: 'vic', password: 'viewer-pass-1', role: 'viewer' });
    const login = async (username: string, password: string) =>
      (await call<LoginResponse>(server.baseUrl, 'POST', '/api/auth/login', { body: { username, password } })).body.token;
    const viewer = await login('vic', 'viewer-pass-1');
    const dispatcher = await login('dora', 'dispatch-pass-1');
    expect((await api('GET', '/api/rules', undefined, viewer)).status).toBe(200);
    expect((await api('PUT', '/api/rules/bin', { fullPct: 70 }, viewer)).status).toBe(403);
    expect((await api('PUT', '/api/rules/bin', { fullPct: 70 }, dispatcher)).body).toMatchObject({ version: 3, createdBy: 'dora' });
  });
});
