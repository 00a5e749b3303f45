// InfluxDB 1.x helpers for the benchmark (InfluxQL over /query): find or start an influxd,
// create a fresh database per run, count stored readings.
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInflux, isPortFree } from '../../infra/scripts/services.mjs';

const DEV_INFLUX_URL = 'http://127.0.0.1:18086';

/** @param {string} url */
async function answers(url) {
  try {
    const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(2000) });
    return res.status === 204 || res.status === 200;
  } catch {
    return false;
  }
}

/** pid of the process listening on a loopback URL's port (for CPU figures), if `ss` tells. @param {string} url */
function listenerPid(url) {
  const port = new URL(url).port;
  const r = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8', timeout: 2000 });
  const m = r.status === 0 ? r.stdout.match(/pid=(\d+)/) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * The first InfluxDB that answers among `explicit`, INFLUX_URL, TEST_INFLUX_URL and the dev
 * instance; otherwise a throw-away influxd in a temp dir (stopped and removed by `stop()`).
 * @param {{ explicit?: string, env: NodeJS.ProcessEnv, log: (m: string) => void }} p
 */
export async function resolveInflux({ explicit, env, log }) {
  const candidates = [explicit, env.INFLUX_URL, env.TEST_INFLUX_URL, DEV_INFLUX_URL].filter(
    /** @returns {u is string} */ (u) => typeof u === 'string' && u.length > 0,
  );
  for (const url of candidates) {
    const base = url.replace(/\/+$/, '');
    if (await answers(base)) return { url: base, pid: listenerPid(base), started: false, stop: async () => {} };
  }
  let port = 18186;
  for (let i = 0; i < 50 && !((await isPortFree(port)) && (await isPortFree(port + 2))); i++) port += 10;
  const dir = mkdtempSync(join(tmpdir(), 'bench-influx-'));
  log(`no InfluxDB answers at ${candidates.join(', ')}; starting influxd on port ${port} in ${dir}`);
  const influx = await startInflux({ dir, port });
  return {
    url: influx.url,
    pid: influx.pid,
    started: true,
    stop: async () => {
      influx.stop();
      await new Promise((r) => setTimeout(r, 500));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs one InfluxQL statement; throws with InfluxDB's error text.
 * @param {string} url @param {string} q @param {string} [db]
 */
export async function influxQuery(url, q, db) {
  const params = new URLSearchParams({ q });
  if (db) params.set('db', db);
  const res = await fetch(`${url}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: params.toString(),
    signal: AbortSignal.timeout(30_000),
  });
  const body = /** @type {any} */ (await res.json().catch(() => ({})));
  const error = body.error ?? body.results?.find((/** @type {any} */ r) => r.error)?.error;
  if (!res.ok || error) throw new Error(`InfluxDB ${q}: ${error ?? res.status}`);
  return body.results ?? [];
}

/** @param {string} url @param {string} db */
export async function createDatabase(url, db) {
  await influxQuery(url, `CREATE DATABASE "${db}"`);
}

/** @param {string} url @param {string} db */
export async function dropDatabase(url, db) {
  await influxQuery(url, `DROP DATABASE "${db}"`);
}

/**
 * Number of stored points of `measurement` (count of the always-present `seq` field).
 * @param {string} url @param {string} db @param {string} measurement
 */
export async function countReadings(url, db, measurement) {
  const results = await influxQuery(url, `SELECT count("seq") FROM "${measurement}"`, db);
  return Number(results[0]?.series?.[0]?.values?.[0]?.[1] ?? 0);
}

/**
 * Stored points per deviceId tag.
 * @param {string} url @param {string} db @param {string} measurement
 * @returns {Promise<Map<string, number>>}
 */
export async function countPerDevice(url, db, measurement) {
  const results = await influxQuery(url, `SELECT count("seq") FROM "${measurement}" GROUP BY "deviceId"`, db);
  const counts = new Map();
  for (const s of results[0]?.series ?? []) counts.set(s.tags?.deviceId, Number(s.values?.[0]?.[1] ?? 0));
  return counts;
}
