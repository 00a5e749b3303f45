import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsrmProvider } from '../../../src/routing/travel/osrm.provider.js';
import { TravelException } from '../../../src/routing/travel/travel.exception.js';

/** A tiny HTTP server answering like osrm-routed; `mode` picks the answer. */
let server: Server;
let base: string;
let mode: 'ok' | 'error' | 'garbage' | 'slow' | 'no-route' = 'ok';
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    requests.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (mode === 'slow') return void setTimeout(() => send(200, { code: 'Ok' }), 2_000);
    if (mode === 'error') return send(400, { code: 'InvalidQuery', message: 'Query string malformed close to position 28' });
    if (mode === 'garbage') return send(200, { code: 'Ok', durations: 'nope' });
    const coords = url.pathname.split('/')[4]!.split(';');
    if (url.pathname.startsWith('/table/')) {
      expect(url.searchParams.get('annotations')).toBe('duration,distance');
      const n = coords.length;
      const sources = url.searchParams.get('sources')?.split(';').map(Number) ?? coords.map((_, i) => i);
      // 100 s and 1000 m per index step; the third point is unreachable; the first was moved 800 m to the network
      const cell = (i: number, j: number, k: number) => (i === 2 || j === 2) && i !== j ? null : Math.abs(i - j) * k;
      return send(200, {
        code: 'Ok',
        durations: sources.map((i) => Array.from({ length: n }, (_, j) => cell(i, j, 100))),
        distances: sources.map((i) => Array.from({ length: n }, (_, j) => cell(i, j, 1000))),
        sources: sources.map((i) => ({ location: [0, 0], distance: i === 0 ? 800 : 5 })),
      });
    }
    if (url.pathname.startsWith('/route/')) {
      if (mode === 'no-route') return send(400, { code: 'NoRoute', message: 'Impossible route between points' });
      expect(url.searchParams.get('geometries')).toBe('geojson');
      expect(url.searchParams.get('overview')).toBe('full');
      const [a, b] = coords.map((c) => c.split(',').map(Number) as [number, number]);
      return send(200, { code: 'Ok', routes: [{ distance: 10, duration: 1, geometry: { type: 'LineString', coordinates: [a, [a![0], b![1]], b] } }] });
    }
    send(404, { code: 'NotFound' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const P = [
  { lon: 120.1, lat: 30.2 },
  { lon: 120.11, lat: 30.2 },
  { lon: 120.12, lat: 30.2 },
  { lon: 120.13, lat: 30.2 },
];

describe('OSRM provider', () => {
  it('reads the /table answer into the matrix; unreachable pairs get the straight-line estimate; far snaps are flagged', async () => {
    mode = 'ok';
    const m = await new OsrmProvider(base).matrix(P);
    expect(m.source).toBe('osrm');
    expect(m.durationS[0 * 4 + 3]).toBe(300);
    expect(m.distanceM[3 * 4 + 1]).toBe(2000);
    expect(m.distanceM[0 * 4 + 2]).toBeGreaterThan(1900); // ~1925 m × 1.3, not null
    expect(m.snapped).toEqual([false, true, true, true]);
    expect(requests.at(-1)).toContain('/table/v1/driving/120.100000,30.200000;120.110000,30.200000;');
  });

  it('splits big tables into requests of at most 100×100 cells', async () => {
    mode = 'ok';
    requests.length = 0;
    const many = Array.from({ length: 150 }, (_, i) => ({ lon: 120 + i * 0.001, lat: 30.2 }));
    const m = await new OsrmProvider(base).matrix(many);
    expect(requests.length).toBe(3); // 66 + 66 + 18 source rows
    expect(m.durationS[149 * 150 + 0]).toBe(14_900);
  });

  it('path() returns the /route geometry; no route → straight segment', async () => {
    mode = 'ok';
    const path = await new OsrmProvider(base).path(P[0]!, P[3]!);
    expect(path).toEqual([
      [120.1, 30.2],
      [120.1, 30.2],
      [120.13, 30.2],
    ]);
    mode = 'no-route';
    expect(await new OsrmProvider(base).path(P[0]!, P[3]!)).toHaveLength(2);
  });

  it('an error reply, an unreadable body, a timeout and a dead server raise a clear ROUTING_SERVER_FAILED', async () => {
    mode = 'error';
    await expect(new OsrmProvider(base).matrix(P)).rejects.toThrow(/OSRM \/table at .*HTTP 400 InvalidQuery: Query string malformed/);
    mode = 'garbage';
    await expect(new OsrmProvider(base).matrix(P)).rejects.toThrow(/unreadable table/);
    mode = 'slow';
    const slow = new OsrmProvider(base, { OSRM_TIMEOUT_MS: 200 }).path(P[0]!, P[1]!);
    await expect(slow).rejects.toBeInstanceOf(TravelException);
    await expect(slow).rejects.toThrow(/no answer within 200 ms/);
    await expect(new OsrmProvider('http://127.0.0.1:1').matrix(P)).rejects.toThrow(/unreachable/);
  });
});
