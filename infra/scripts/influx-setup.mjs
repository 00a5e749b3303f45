// Applies infra/influx/retention.influxql to an InfluxDB 1.x server, statement by statement,
// with the database name substituted. Existing policies/queries are left as they are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './workspace.mjs';

export function retentionStatements(database) {
  return readFileSync(join(ROOT, 'infra', 'influx', 'retention.influxql'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('--'))
    .map((line) => line.replaceAll('"sanitation"', `"${database}"`).replace(/^CREATE DATABASE sanitation$/, `CREATE DATABASE "${database}"`));
}

export async function applyRetention(url, database, auth = {}) {
  for (const q of retentionStatements(database)) {
    const params = new URLSearchParams({ q });
    if (auth.user) params.set('u', auth.user);
    if (auth.password) params.set('p', auth.password);
    const res = await fetch(`${url}/query`, { method: 'POST', body: params });
    const body = await res.json().catch(() => ({}));
    const err = body.error ?? body.results?.[0]?.error;
    // "already exists" is fine on re-runs; anything else names the statement.
    if (!res.ok || (err && !/already exists/.test(err))) throw new Error(`InfluxDB setup failed on "${q.slice(0, 60)}…": ${err ?? res.status}`);
  }
}
