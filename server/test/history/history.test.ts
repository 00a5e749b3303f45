import { randomBytes } from 'node:crypto';
import type { DeviceHistoryResponse } from '@sanitation/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApp, type RunningApp } from '../support/app.js';
import { freePort } from '../support/broker.js';
import { TEST_INFLUX_URL } from '../support/databases.js';
import { login } from '../live/fixtures.js';

const ADMIN_PASSWORD = 'history-admin-password';
const T0 = Date.UTC(2026, 10, 27, 8, 0, 0); // a 5-minute boundary

/** The gateway's line protocol (gateway/src/influx/line-protocol.ts): measurement = kind, tags deviceId/zone, values + seq, ns = ts·10⁶ + seq mod 10⁶. */
function line(kind: string, deviceId: string, zone: string, ts: number, seq: number, values: Record<string, number | boolean>): string {
  const fields = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  return `${kind},deviceId=${deviceId},zone=${zone} ${[...fields, `seq=${seq}i`].join(',')} ${ts}${String(seq % 1_000_000).padStart(6, '0')}`;
}

async function influx(path: string, params: Record<string, string>, body?: string): Promise<void> {
  const res = await fetch(`${TEST_INFLUX_URL}${path}?${new URLSearchParams(params)}`, { method: 'POST', body });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

describe('GET /api/devices/:id/history (real InfluxDB)', () => {
  const db = `history_test_${randomBytes(4).toString('hex')}`;
  let server: RunningApp;
  let token: string;
  const get = (path: string) => call<DeviceHistoryResponse & { message?: string; code?: string }>(server.baseUrl, 'GET', path, { token });

  beforeAll(async () => {
    await influx('/query', { q: `CREATE DATABASE "${db}"` });
    server = await startApp({ ADMIN_PASSWORD, INFLUX_DB: db });
    const admin = await login(server.baseUrl, 'admin', ADMIN_PASSWORD);
    for (const body of [
      { id: 'bin-h1', kind: 'bin', name: 'Bin 1', lat: 30.25, lon: 120.15, zone: 'A' },
      { id: 'bin-h2', kind: 'bin', name: 'Bin 2', lat: 30.25, lon: 120.16, zone: 'A' },
      { id: 'septic-h1', kind: 'septic', name: 'Tank', lat: 30.2, lon: 120.1 },
    ]) {
      expect((await call(server.baseUrl, 'POST', '/api/devices', { token: admin, body })).status).toBe(201);
    }
    expect((await call(server.baseUrl, 'POST', '/api/auth/operators', { token: admin, body: { username: 'vic', password: 'viewer-pass-1', role: 'viewer' } })).status).toBe(201);
    token = await login(server.baseUrl, 'vic', 'viewer-pass-1');
    // bin-h1: one reading a minute for 10 minutes, fill 10, 12, …, 28; tilted once in the second window.
    const lines: string[] = [];
    for (let i = 0; i < 10; i++) {
      lines.push(line('bin', 'bin-h1', 'A', T0 + i * 60_000, i + 1, { fillPct: 10 + 2 * i, tempC: 20 + i, tilted: i === 7, batteryPct: 90 }));
    }
    // Another bin at the same times must not leak in.
    for (let i = 0; i < 10; i++) lines.push(line('bin', 'bin-h2', 'A', T0 + i * 60_000, i + 1, { fillPct: 99, tempC: 50, tilted: true, batteryPct: 5 }));
    await influx('/write', { db, precision: 'ns' }, lines.join('\n'));
  });
  afterAll(async () => {
    await server?.close();
    await influx('/query', { q: `DROP DATABASE "${db}"` }).catch(() => undefined);
  });

  it('answers mean per window for the chosen fields of that device only', async () => {
    const from = new Date(T0).toISOString();
    const to = new Date(T0 + 10 * 60_000).toISOString();
    const res = await get(`/api/devices/bin-h1/history?from=${from}&to=${to}&window=5m&fields=fillPct,tempC,tilted`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      deviceId: 'bin-h1',
      kind: 'bin',
      from,
      to,
      window: '5m',
      fields: ['fillPct', 'tempC', 'tilted'],
      aggregates: { fillPct: 'mean', tempC: 'mean', tilted: 'max' }, // no mean of a boolean
      points: [
        { time: from, values: { fillPct: 14, tempC: 22, tilted: false } },
        { time: new Date(T0 + 5 * 60_000).toISOString(), values: { fillPct: 24, tempC: 27, tilted: true } },
      ],
    });
  });

  it('aggregates with max, leaves out empty windows, and defaults to every field of the kind', async () => {
    const from = new Date(T0 - 60 * 60_000).toISOString();
    const to = new Date(T0 + 60 * 60_000).toISOString();
    const res = await get(`/api/devices/bin-h1/history?from=${from}&to=${to}&window=1m&agg=max`);
    expect(res.status).toBe(200);
    expect(res.body.fields).toEqual(['fillPct', 'tempC', 'tilted', 'batteryPct']);
    expect(res.body.points).toHaveLength(10); // 120 windows in range, 10 hold readings
    expect(res.body.points.map((p) => p.values.fillPct)).toEqual([10, 12, 14, 16, 18, 20, 22, 24, 26, 28]);
    expect(res.body.points[0]!.values.batteryPct).toBe(90);
  });

  it('answers an empty list for a device with no readings in range', async () => {
    const res = await get('/api/devices/septic-h1/history?window=1h');
    expect(res.status).toBe(200);
    expect(res.body.kind).toBe('septic');
    expect(res.body.fields).toEqual(['levelPct', 'h2sPpm', 'ch4PctLel']);
    expect(res.body.points).toEqual([]);
  });

  it('refuses a window too small for the range, naming `window`', async () => {
    const res = await get(`/api/devices/bin-h1/history?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&window=1m`);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^window: 1m over this range gives 44641 windows, more than 10000; use 268s or more/);
    // The suggested window is accepted.
    expect((await get(`/api/devices/bin-h1/history?from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z&window=268s`)).status).toBe(200);
  });

  it('names the bad parameter: fields of another kind, malformed times and windows, a reversed range', async () => {
    const wrongField = await get('/api/devices/bin-h1/history?fields=fillPct,levelPct');
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.message).toBe('fields: levelPct not a bin field (fillPct, tempC, tilted, batteryPct)');
    const badFrom = await get('/api/devices/bin-h1/history?from=yesterday');
    expect(badFrom.status).toBe(400);
    expect(badFrom.body.message).toMatch(/^from: must be an ISO 8601 date-time/);
    const badWindow = await get('/api/devices/bin-h1/history?window=5 minutes');
    expect(badWindow.status).toBe(400);
    expect(badWindow.body.message).toMatch(/^window: must be a duration/);
    const badAgg = await get('/api/devices/bin-h1/history?agg=median');
    expect(badAgg.status).toBe(400);
    expect(badAgg.body.message).toMatch(/^agg: /);
    const reversed = await get('/api/devices/bin-h1/history?from=2026-11-27T09:00:00Z&to=2026-11-27T08:00:00Z');
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toMatch(/^from: must be before to/);
  });

  it('answers 404 for an unknown device and 401 without a token', async () => {
    const missing = await get('/api/devices/no-such-bin/history');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('device "no-such-bin" not found');
    expect((await call(server.baseUrl, 'GET', '/api/devices/bin-h1/history')).status).toBe(401);
  });

  it('answers 503 naming InfluxDB when it does not answer', async () => {
    const port = await freePort();
    const down = await startApp({ ADMIN_PASSWORD, INFLUX_URL: `http://127.0.0.1:${port}` });
    try {
      const admin = await login(down.baseUrl, 'admin', ADMIN_PASSWORD);
      await call(down.baseUrl, 'POST', '/api/devices', { token: admin, body: { id: 'bin-x', kind: 'bin', name: 'x', lat: 1, lon: 1 } });
      const res = await call(down.baseUrl, 'GET', '/api/devices/bin-x/history', { token: admin });
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/^InfluxDB at http:\/\/127\.0\.0\.1:\d+ did not answer/);
    } finally {
      await down.close();
    }
  });
});
