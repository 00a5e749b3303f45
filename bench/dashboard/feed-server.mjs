// The benchmark's stand-in for the server: serves dashboard/dist and just the routes the ops page
// calls, with the contracts' shapes, and a socket.io /live namespace that streams device-state
// batches inside each client's subscribed bbox. Every batch's first event carries an extra
// `benchSentAt` (epoch ms) key — not part of the contract, ignored by the dashboard — so the page
// can time when the frame showing it is drawn.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Server } from 'socket.io';
import { LIVE_NAMESPACE, LIVE_PATH, mapSnapshotColumns } from '@sanitation/contracts';
import { rng, valuesFor } from './city.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json' };

/**
 * @param {{ distDir: string, basemap: object, assets: ReturnType<typeof import('./city.mjs').makeAssets>, trucks: import('@sanitation/contracts').TruckPositionEvent[] }} o
 */
export async function startFeedServer({ distDir, basemap, assets, trucks }) {
  const token = randomBytes(16).toString('hex');
  const snapshotObject = { at: Date.now(), devices: assets.devices, trucks };
  // Both formats, as the server: objects (default) and `?format=columns` (what the dashboard asks for).
  const snapshots = { objects: JSON.stringify(snapshotObject), columns: JSON.stringify(mapSnapshotColumns(snapshotObject)) };
  // Served gzipped, as a production server with compression would (18 MB → a few MB over the wire).
  const snapshotsGz = { objects: gzipSync(snapshots.objects, { level: 1 }), columns: gzipSync(snapshots.columns, { level: 1 }) };
  const basemapJson = JSON.stringify(basemap);
  const stats = { snapshotServedMs: 0, requests: 0, otherHosts: 0 };

  const json = (/** @type {import('node:http').ServerResponse} */ res, /** @type {number} */ status, /** @type {string} */ body) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(body);
  };
  const http = createServer(async (req, res) => {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    if (p.startsWith('/api/')) {
      if (p === '/api/ui-config') return json(res, 200, JSON.stringify({ mapboxToken: null, mapboxStyle: '', cityTimeZone: 'Asia/Shanghai', defaultLocale: 'zh-CN', serverNow: Date.now(), clockSpeed: 1 }));
      if (p === '/api/auth/login' && req.method === 'POST') {
        return json(res, 200, JSON.stringify({ token, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), user: { username: 'bench', role: 'dispatcher' } }));
      }
      if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, JSON.stringify({ message: 'unauthorized' }));
      if (p === '/api/map/basemap') return json(res, 200, basemapJson);
      if (p === '/api/map/snapshot') {
        const format = url.searchParams.get('format') ?? 'objects';
        if (format !== 'objects' && format !== 'columns') return json(res, 400, JSON.stringify({ message: `unknown format ${format}` }));
        if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return json(res, 200, snapshots[format]);
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'cache-control': 'no-store' });
        return res.end(snapshotsGz[format]);
      }
      if (p === '/api/jobs' || p === '/api/alarms') return json(res, 200, JSON.stringify({ items: [], total: 0 }));
      if (p === '/api/vehicles' || p === '/api/crews') return json(res, 200, '[]');
      return json(res, 404, JSON.stringify({ message: `not served by the bench: ${p}` }));
    }
    const rel = normalize(p === '/' ? '/index.html' : p).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(distDir, rel));
      res.writeHead(200, { 'content-type': TYPES[/** @type {keyof typeof TYPES} */ (extname(rel))] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  const io = new Server(http, { path: LIVE_PATH, serveClient: false });
  const live = io.of(LIVE_NAMESPACE);
  live.use((socket, next) => (socket.handshake.auth?.token === token ? next() : next(new Error('unauthorized'))));
  /** Asset indices inside each socket's bbox. @type {Map<string, Int32Array>} */
  const inside = new Map();
  live.on('connection', (socket) => {
    socket.on('subscribe', (sub, ack) => {
      const b = sub?.bbox;
      if (!Array.isArray(b) || b.length !== 4) return ack?.({ ok: false, error: 'bbox required by the bench' });
      const idx = [];
      for (let i = 0; i < assets.lon.length; i++) if (assets.lon[i] >= b[0] && assets.lon[i] <= b[2] && assets.lat[i] >= b[1] && assets.lat[i] <= b[3]) idx.push(i);
      inside.set(socket.id, Int32Array.from(idx));
      ack?.({ ok: true, subscription: sub });
    });
    socket.on('disconnect', () => inside.delete(socket.id));
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
  const port = /** @type {import('node:net').AddressInfo} */ (http.address()).port;

  const r = rng(99);
  const sent = { batches: 0, events: 0 };
  /**
   * Streams `rate` updates/s as a batch every `everyMs` for `seconds` to every subscribed socket.
   * @param {{ rate: number, everyMs: number, seconds: number }} o
   */
  function stream({ rate, everyMs, seconds }) {
    const perBatch = Math.max(1, Math.round((rate * everyMs) / 1000));
    const t0 = Date.now();
    let n = 0;
    return new Promise((resolve) => {
      const tick = () => {
        const due = t0 + n * everyMs;
        if (Date.now() - t0 >= seconds * 1000) return resolve(sent);
        for (const [id, idx] of inside) {
          if (idx.length === 0) continue;
          const events = [];
          for (let k = 0; k < perBatch; k++) {
            const i = idx[Math.floor(r() * idx.length)];
            const kind = assets.kinds[i];
            events.push({ deviceId: assets.devices[i].id, kind, zone: null, lat: assets.lat[i], lon: assets.lon[i], ts: Date.now(), values: valuesFor(kind, r), online: r() > 0.01 });
          }
          /** @type {any} */ (events[0]).benchSentAt = Date.now();
          live.to(id).emit('device:state', events);
          sent.batches++;
          sent.events += events.length;
        }
        n++;
        setTimeout(tick, Math.max(0, t0 + n * everyMs - Date.now()));
        void due;
      };
      tick();
    });
  }

  /** Trucks drive along their street, one fix a second. */
  const truckTimer = setInterval(() => {
    const now = Date.now();
    for (const t of trucks) {
      const rad = ((t.headingDeg ?? 0) * Math.PI) / 180;
      t.lon += Math.sin(rad) * 0.0001;
      t.lat += Math.cos(rad) * 0.0001;
      t.ts = now;
    }
    live.emit('truck:position', trucks);
  }, 1000);

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stats,
    sent,
    stream,
    close: async () => {
      clearInterval(truckTimer);
      io.close();
      await new Promise((resolve) => http.close(() => resolve(undefined)));
    },
  };
}
