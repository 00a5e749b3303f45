import type { Transport } from '@influxdata/influxdb-client';

export interface V1Target {
  database: string;
  retentionPolicy: string;
  username?: string;
  password?: string;
}

/**
 * InfluxDB 1.6 has no `/api/v2/write`. This transport wraps the client's own (HTTP, gzip,
 * errors, timeouts stay the client's) and rewrites the write path to `/write?db=&rp=&precision=`.
 * 1.x spells precisions `n|u|ms|s` and silently reads an unknown `us` or `ns` as nanoseconds,
 * so the mapping is explicit.
 */
const PRECISION_V1: Record<string, string> = { ns: 'n', us: 'u', ms: 'ms', s: 's' };

export function v1WritePath(v2Path: string, target: V1Target): string {
  const query = new URLSearchParams(v2Path.slice(v2Path.indexOf('?') + 1));
  const precision = query.get('precision') ?? 'ns';
  const mapped = PRECISION_V1[precision];
  if (!mapped) throw new Error(`unsupported write precision "${precision}"`);
  const out = new URLSearchParams({ db: target.database, precision: mapped });
  if (target.retentionPolicy) out.set('rp', target.retentionPolicy);
  if (target.username) out.set('u', target.username);
  if (target.password) out.set('p', target.password);
  return `/write?${out.toString()}`;
}

export function v1Transport(base: Transport, target: V1Target): Transport {
  const map = (path: string) => (path.startsWith('/api/v2/write') ? v1WritePath(path, target) : path);
  return {
    send: (path, body, options, callbacks) => base.send(map(path), body, options, callbacks),
    request: (path, body, options, responseStarted) => base.request(map(path), body, options, responseStarted),
    iterate: (path, body, options) => base.iterate(map(path), body, options),
    chunkCombiner: base.chunkCombiner,
  };
}
