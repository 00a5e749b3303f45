import { HttpError, InfluxDB, type Transport } from '@influxdata/influxdb-client';
import type { InfluxConfig } from '../config/gateway.config.js';
import { v1Transport } from './v1-transport.js';

/** What became of one write request. */
export type WriteOutcome = 'ok' | 'retry-later' | 'no-database' | 'rejected';

const REQUEST_TIMEOUT_MS = 30_000;
/** The client's own default: bodies above this are gzipped when gzip is on. */
const GZIP_MIN_BYTES = 1000;

/**
 * One InfluxDB write target over the official client's transport (HTTP, keep-alive, gzip,
 * HttpError). The client's WriteApi is not used: it sends one batch at a time and keeps its own
 * retry buffer, while the spool already is the retry buffer and several requests may be in flight.
 */
export class InfluxSink {
  private readonly transport: Transport;
  private readonly path: string;
  private readonly sendOptions: { method: string; headers: Record<string, string>; gzipThreshold: number };

  constructor(private readonly cfg: InfluxConfig) {
    if (cfg.api === 1) {
      const base = new InfluxDB({ url: cfg.url, timeout: REQUEST_TIMEOUT_MS }).transport;
      this.transport = v1Transport(base, cfg);
      this.path = '/api/v2/write?precision=ns'; // rewritten to /write?db=&rp=&precision=n
    } else {
      this.transport = new InfluxDB({ url: cfg.url, token: cfg.token, timeout: REQUEST_TIMEOUT_MS }).transport;
      this.path = `/api/v2/write?${new URLSearchParams({ org: cfg.org, bucket: cfg.bucket, precision: 'ns' })}`;
    }
    this.sendOptions = {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      gzipThreshold: cfg.gzip ? GZIP_MIN_BYTES : Number.POSITIVE_INFINITY,
    };
  }

  /** Writes newline-separated line protocol; never throws. `error` is set unless the outcome is ok. */
  async write(body: string): Promise<{ outcome: WriteOutcome; error?: string }> {
    try {
      await this.transport.request(this.path, body, this.sendOptions);
      return { outcome: 'ok' };
    } catch (err) {
      const error = (err as Error).message;
      const status = err instanceof HttpError ? err.statusCode : 0;
      // 4xx other than 429: InfluxDB will never take this batch as it is (e.g. a field-type conflict).
      if (status > 0 && status < 429) {
        return { outcome: status === 404 && /database not found/i.test(error) ? 'no-database' : 'rejected', error };
      }
      return { outcome: 'retry-later', error };
    }
  }

  /** v1 only (v2 buckets are provisioned): `CREATE DATABASE` is idempotent in InfluxQL. */
  async createDatabase(): Promise<void> {
    const cfg = this.cfg;
    if (cfg.api !== 1) return;
    const params = new URLSearchParams({ q: `CREATE DATABASE "${cfg.database.replace(/"/g, '\\"')}"` });
    if (cfg.username) params.set('u', cfg.username);
    if (cfg.password) params.set('p', cfg.password);
    const res = await fetch(`${cfg.url}/query`, { method: 'POST', body: params, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`CREATE DATABASE: HTTP ${res.status} ${await res.text()}`);
  }
}
