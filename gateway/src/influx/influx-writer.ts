import { HttpError, InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import type { ReadingsBatch } from '@sanitation/contracts';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/gateway.config.js';
import type { Spool, SpoolPosition } from '../spool/spool.js';
import { toLineProtocol } from './line-protocol.js';
import { v1Transport } from './v1-transport.js';

type Outcome = 'ok' | 'retry-later' | 'no-database' | 'rejected';

const MAX_RETRIES = 3; // the client's in-memory retry buffer handles short blips...
const BACKOFF_MIN_MS = 200; // ...then the spool-driven loop retries forever, with this backoff
const BACKOFF_MAX_MS = 5000;
const LINGER_MS = 25; // let small batches grow a little under steady load

export interface InfluxWriterOptions {
  influx: GatewayConfig['influx'];
  spool: Spool;
  logger: Logger;
}

/**
 * Tails the spool and writes to InfluxDB with the official client's WriteApi. The checkpoint
 * advances only after InfluxDB confirmed a batch; on any failure the same spool range is
 * written again later (points are idempotent: same series + timestamp overwrite).
 */
export class InfluxWriter {
  written = 0;
  /** Points InfluxDB refused as invalid (HTTP 4xx); logged, and skipped so ingest is not stuck. */
  dropped = 0;
  lastError: string | null = null;
  private readonly client: InfluxDB;
  private readonly writeApi: WriteApi;
  private position: SpoolPosition;
  private settle: ((o: Outcome) => void) | null = null;
  private wake: (() => void) | null = null;
  private stopping = false;
  private deadline = Infinity;
  private loopDone: Promise<void> = Promise.resolve();
  private databaseReady: boolean;

  constructor(private readonly opts: InfluxWriterOptions) {
    const cfg = opts.influx;
    const base = new InfluxDB({ url: cfg.url, timeout: 30_000 });
    this.client =
      cfg.api === 1
        ? new InfluxDB({ url: cfg.url, transport: v1Transport(base.transport, cfg) })
        : new InfluxDB({ url: cfg.url, token: cfg.token, timeout: 30_000 });
    const org = cfg.api === 1 ? '' : cfg.org;
    const bucket = cfg.api === 1 ? cfg.database : cfg.bucket;
    this.writeApi = this.client.getWriteApi(org, bucket, 'ns', {
      batchSize: cfg.batchPoints * 2 + 1000, // we flush explicitly; never let the client split a batch
      flushInterval: 0,
      maxRetries: MAX_RETRIES,
      maxRetryTime: 20_000,
      minRetryDelay: 500,
      maxRetryDelay: 4000,
      maxBufferLines: cfg.batchPoints * 4,
      writeSuccess: () => this.settle?.('ok'),
      writeFailed: (error, _lines, attempt, expires) => {
        this.lastError = error.message;
        const status = error instanceof HttpError ? error.statusCode : 0;
        if (status > 0 && status < 429) {
          this.settle?.(status === 404 && /database not found/i.test(error.message) ? 'no-database' : 'rejected');
        } else if (attempt >= MAX_RETRIES + 1 || expires <= Date.now()) {
          this.settle?.('retry-later');
        }
        // otherwise the client's retry buffer keeps the lines and retries them itself
        return undefined;
      },
    });
    this.position = opts.spool.checkpoint;
    this.databaseReady = cfg.api !== 1;
  }

  start(): void {
    this.loopDone = this.loop().catch((err: Error) => {
      this.opts.logger.fatal({ err: err.message }, 'InfluxDB writer stopped unexpectedly');
    });
  }

  /** New data is in the spool. */
  notify(): void {
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    }).then(() => {
      this.wake = null;
    });
  }

  private async loop(): Promise<void> {
    let backoff = BACKOFF_MIN_MS;
    while (!(this.stopping && Date.now() >= this.deadline)) {
      if (!this.databaseReady) {
        if (!(await this.createDatabase())) {
          if (this.stopping) return;
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
          continue;
        }
      }
      const records = await this.opts.spool.read(this.position, this.opts.influx.batchPoints);
      if (records.length === 0) {
        if (this.stopping) return;
        await this.sleep(1000);
        continue;
      }
      const lines: string[] = [];
      for (const rec of records) {
        const batch = JSON.parse(rec.payload.toString('utf8')) as ReadingsBatch;
        for (const r of batch.readings) lines.push(toLineProtocol(r));
      }
      const outcome = await this.write(lines);
      if (outcome === 'ok' || outcome === 'rejected') {
        if (outcome === 'rejected') {
          this.dropped += lines.length;
          this.opts.logger.error({ err: this.lastError, points: lines.length }, 'InfluxDB refused a batch as invalid; skipping it');
        } else {
          this.written += lines.length;
          if (this.lastError) this.opts.logger.info('InfluxDB writes recovered');
          this.lastError = null;
        }
        this.position = records[records.length - 1]!.next;
        await this.opts.spool.confirm(this.position, lines.length);
        backoff = BACKOFF_MIN_MS;
        if (lines.length < this.opts.influx.batchPoints / 2 && !this.stopping) await this.sleep(LINGER_MS);
        continue;
      }
      if (outcome === 'no-database') this.databaseReady = false;
      this.opts.logger.warn({ err: this.lastError, retryInMs: backoff }, 'InfluxDB write failed; the spool keeps the data');
      if (this.stopping) return;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    }
  }

  private write(lines: string[]): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      this.settle = (o) => {
        this.settle = null;
        resolve(o);
      };
      this.writeApi.writeRecords(lines);
      // The flush promise rejects on the first failure even while the retry buffer keeps
      // trying; the hooks above report the final verdict.
      this.writeApi.flush().catch((err: Error) => {
        this.lastError = err.message;
      });
    });
  }

  /** v1 only: `CREATE DATABASE` is idempotent in InfluxQL. */
  private async createDatabase(): Promise<boolean> {
    const cfg = this.opts.influx;
    if (cfg.api !== 1) return true;
    const params = new URLSearchParams({ q: `CREATE DATABASE "${cfg.database.replace(/"/g, '\\"')}"` });
    if (cfg.username) params.set('u', cfg.username);
    if (cfg.password) params.set('p', cfg.password);
    try {
      const res = await fetch(`${cfg.url}/query`, { method: 'POST', body: params, signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`CREATE DATABASE: HTTP ${res.status} ${await res.text()}`);
      this.databaseReady = true;
      return true;
    } catch (err) {
      this.lastError = (err as Error).message;
      this.opts.logger.warn({ err: this.lastError }, 'InfluxDB not reachable to create the database; retrying');
      return false;
    }
  }

  /** Writes what it can within `drainMs`, then stops; the rest stays in the spool. */
  async stop(drainMs = 5000): Promise<void> {
    this.stopping = true;
    this.deadline = Date.now() + drainMs;
    this.notify();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, drainMs + 500).unref());
    await Promise.race([this.loopDone, timeout]);
    this.settle?.('retry-later');
    this.writeApi.dispose();
  }
}
