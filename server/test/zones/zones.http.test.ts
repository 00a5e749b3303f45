import type { LoginResponse } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApp, type RunningApp } from '../support/app.js';

const ADMIN_PASSWORD = 'zones-admin-password';

/** A square zone [w, s] – [e, n]. */
function square(id: string, w: number, s: number, e: number, n: number, properties: Record<string, unknown> = {}) {
  return {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
    properties: { id, name: `Zone ${id}`, ...properties },
  };
}

describe('zones and contractors', () => {
  let server: RunningApp;
  let admin: string;
  const api = <T = any>(method: string, path: string, body?: unknown, token = admin) => call<T>(server.baseUrl, method, path, { token, body });

  beforeAll(async () => {
    server = await startApp({ ADMIN_PASSWORD, SCHEDULER_TICK_MS: '0' });
    admin = (await call<LoginResponse>(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
  });
  afterAll(async () => server?.close());

  it('imports zones, re-zones devices located in them, and zones new devices from their location', async () => {
    // Registered before any zone exists: no zone.
    expect((await api('POST', '/api/devices', { id: 'bin-west', kind: 'bin', name: 'W', lat: 30.25, lon: 120.05 })).body.device.zone).toBeNull();
    expect((await api('POST', '/api/devices', { id: 'bin-far', kind: 'bin', name: 'F', lat: 10, lon: 10 })).status).toBe(201);

    const imported = await api('POST', '/api/zones/import', {
      type: 'FeatureCollection',
      features: [
        square('west', 120.0, 30.2, 120.1, 30.3, { responsible: '王街长', contractor: 'acme' }),
        {
          type: 'Feature',
          geometry: { type: 'MultiPolygon', coordinates: [[[[120.1, 30.2], [120.2, 30.2], [120.2, 30.3], [120.1, 30.3], [120.1, 30.2]]]] },
          properties: { id: 'east', name: 'East', contractor: 'acme' },
        },
      ],
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({ upserted: ['west', 'east'], devicesRezoned: 1 });
    expect((await api('GET', '/api/devices/bin-west')).body.zone).toBe('west');
    expect((await api('GET', '/api/devices/bin-far')).body.zone).toBeNull();

    // New devices without a zone take it from their location; a given zone is kept.
    expect((await api('POST', '/api/devices', { id: 'bin-east', kind: 'bin', name: 'E', lat: 30.25, lon: 120.15 })).body.device.zone).toBe('east');
    expect((await api('POST', '/api/devices', { id: 'bin-own', kind: 'bin', name: 'O', lat: 30.25, lon: 120.15, zone: 'mine' })).body.device.zone).toBe('mine');
    const bulk = await api('POST', '/api/devices/import', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [120.05, 30.21] }, properties: { id: 'lamp-w', kind: 'streetlight', name: 'L' } }],
    });
    expect(bulk.body.created).toHaveLength(1);
    expect((await api('GET', '/api/devices/lamp-w')).body.zone).toBe('west');

    // The gateways learn the new zone through the credential sync (the revision was bumped).
    const creds = await call(server.baseUrl, 'GET', '/api/internal/credentials', { token: server.config.INTERNAL_TOKEN });
    expect(creds.body.devices.find((d: { deviceId: string }) => d.deviceId === 'bin-west').zone).toBe('west');

    // Re-import (upsert) moves the boundary: bin-west now lies in 'east'.
    const moved = await api('POST', '/api/zones/import', { type: 'FeatureCollection', features: [square('east', 120.0, 30.2, 120.2, 30.3, { contractor: 'acme' })] });
    expect(moved.body.devicesRezoned).toBeGreaterThanOrEqual(1);
    expect((await api('GET', '/api/devices/bin-east')).body.zone).toBe('east');
  });

  it('lists zones as GeoJSON with responsible and contractor; contractors are created and listed', async () => {
    const zones = await api('GET', '/api/zones');
    expect(zones.status).toBe(200);
    expect(zones.body.type).toBe('FeatureCollection');
    const west = zones.body.features.find((f: any) => f.properties.id === 'west');
    expect(west.properties).toMatchObject({ name: 'Zone west', responsible: '王街长', contractor: 'acme' });
    expect(west.geometry.type).toBe('Polygon');

    expect((await api('POST', '/api/contractors', { id: 'clean-co', name: 'Clean Co' })).status).toBe(201);
    expect((await api('POST', '/api/contractors', { id: 'clean-co', name: 'Again' })).status).toBe(409);
    const list = await api('GET', '/api/contractors');
    expect(list.body.map((c: any) => c.contractorId)).toEqual(['acme', 'clean-co']);
  });

  it('refuses bad features with 400 naming the feature index and field', async () => {
    const badName = await api('POST', '/api/zones/import', { type: 'FeatureCollection', features: [square('ok', 0, 0, 1, 1), square('bad', 0, 0, 1, 1, { name: '' })] });
    expect(badName.status).toBe(400);
    expect(badName.body.message).toMatch(/features\.1\.properties\.name/);
    const open = square('open', 0, 0, 1, 1);
    open.geometry.coordinates[0]!.pop();
    const badRing = await api('POST', '/api/zones/import', { type: 'FeatureCollection', features: [open] });
    expect(badRing.status).toBe(400);
    expect(badRing.body.message).toMatch(/features\.0\.geometry\.coordinates/);
    const point = await api('POST', '/api/zones/import', { type: 'FeatureCollection', features: [{ ...open, geometry: { type: 'Point', coordinates: [0, 0] } }] });
    expect(point.status).toBe(400);
    expect(point.body.message).toMatch(/features\.0\.geometry/);
    const dup = await api('POST', '/api/zones/import', { type: 'FeatureCollection', features: [square('d', 0, 0, 1, 1), square('d', 1, 1, 2, 2)] });
    expect(dup.status).toBe(400);
    expect(dup.body.message).toMatch(/features\.1\.properties\.id: duplicate/);
    expect((await api('GET', '/api/zones')).body.features.map((f: any) => f.properties.id)).toEqual(['east', 'west']);
  });

  it('lets a viewer read zones but not write them', async () => {
    await api('POST', '/api/auth/operators', { username: 'vic', password: 'viewer-pass-1', role: 'viewer' });
    const viewer = (await call<LoginResponse>(server.baseUrl, 'POST', '/api/auth/login', { body: { username: 'vic', password: 'viewer-pass-1' } })).body.token;
    expect((await api('GET', '/api/zones', undefined, viewer)).status).toBe(200);
    expect((await api('POST', '/api/zones/import', { type: 'FeatureCollection', features: [] }, viewer)).status).toBe(403);
    expect((await api('POST', '/api/contractors', { id: 'x', name: 'x' }, viewer)).status).toBe(403);
  });
});
