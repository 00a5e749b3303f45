import type { ReadingsBatch } from '@sanitation/contracts';
import type { SpoolLayout, SpoolPosition, SpoolReader, SpoolRecord } from '../spool/spool-reader.js';
import type { InfluxSink } from './influx-sink.js';
import { toLineProtocol } from './line-protocol.js';

const BACKOFF_MIN_MS = 200; // the spool keeps the data, so failed writes are retried forever...
const BACKOFF_MAX_MS = 5000; // ...with this backoff
const IDLE_POLL_MS = 1000; // ms; wake-ups come by update() and settled batches, this is a safety net

export interface PipelineEvents {
  /** Everything before `next` is settled (`written` stored, `dropped` refused as invalid). */
  confirmed(next: SpoolPosition, readings: number, written: number, dropped: number): void;
  /** The last write error (null once writes succeed again). */
  status(lastError: string | null): void;
  log(level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>): void;
}

export interface PipelineOptions {
  reader: SpoolReader;
  sink: InfluxSink;
  /** Where to start: the spool's checkpoint. */
  from: SpoolPosition;
  layout: SpoolLayout;
  batchPoints: number;
  concurrency: number;
  /** InfluxDB 1.x: CREATE DATABASE (idempotent) before the first write and after a 404. */
  needsDatabase: boolean;
  events: PipelineEvents;
}

interface Batch {
  next: SpoolPosition;
  readings: number;
  written: number;
  dropped: number;
  settled: boolean;
}

/**
 * Tails the spool into InfluxDB with up to `concurrency` write requests in flight. Batches are
 * confirmed strictly in spool order (only the contiguous settled prefix), so the checkpoint never
 * passes a batch that is still being written; a later batch stored first is merely rewritten
 * after a crash (points are idempotent).
 */
export class WritePipeline {
  private layout: SpoolLayout;
  private position: SpoolPosition;
  private readonly inflight: Batch[] = [];
  private stopping = false;
  private deadline = Infinity;
  private lastError: string | null = null;
  private databaseReady: boolean;
  private creatingDatabase: Promise<boolean> | null = null;
  /** Resolvers of the current waits: new data / a settled batch / stop. */
  private readonly wakers = new Set<() => void>();
  private readonly sleepers = new Set<() => void>();
  /** A delivery gave up while stopping (InfluxDB failing): nothing more will be confirmed. */
  private gaveUp = false;

  constructor(private readonly opts: PipelineOptions) {
    this.layout = opts.layout;
    this.position = { ...opts.from };
    this.databaseReady = !opts.needsDatabase;
  }

  /** The spool grew (or rotated). */
  update(layout: SpoolLayout): void {
    this.layout = layout;
    this.wakeAll();
  }

  /** Writes what it can until caught up or `drainMs` passed; run() then returns. */
  stop(drainMs: number): void {
    this.stopping = true;
    this.deadline = Date.now() + drainMs;
    this.wakeAll();
  }

  private get expired(): boolean {
    return this.stopping && Date.now() >= this.deadline;
  }

  async run(): Promise<void> {
    while (!this.expired && !this.gaveUp) {
      if (!(await this.ensureDatabase())) break;
      if (this.inflight.length >= this.opts.concurrency) {
        await this.wait(IDLE_POLL_MS);
        continue;
      }
      const records = await this.opts.reader.read(this.position, this.layout, this.opts.batchPoints);
      if (records.length === 0) {
        if (this.stopping && this.inflight.length === 0) break; // drained
        await this.wait(IDLE_POLL_MS);
        continue;
      }
      const readings = records.reduce((n, r) => n + r.count, 0);
      if (readings < this.opts.batchPoints / 2 && this.inflight.length > 0 && !this.stopping) {
        // A write is in flight: let this batch grow until it returns, instead of many tiny requests.
        await this.waitForSettle();
        continue;
      }
      const batch: Batch = { next: records[records.length - 1]!.next, readings, written: 0, dropped: 0, settled: false };
      this.position = batch.next;
      this.inflight.push(batch);
      void this.deliver(batch, records);
    }
    // Anything still in flight is abandoned unconfirmed: it is replayed from the spool next time.
    this.wakeAll();
  }

  private async deliver(batch: Batch, records: SpoolRecord[]): Promise<void> {
    const lines: string[] = [];
    for (const rec of records) {
      try {
        const parsed = JSON.parse(rec.payload.toString('utf8')) as ReadingsBatch;
        for (const r of parsed.readings) lines.push(toLineProtocol(r));
      } catch (err) {
        // CRC-valid but unreadable (never written by this code): skip it rather than stall forever.
        batch.dropped += rec.count;
        this.opts.events.log('error', 'unreadable spool record; skipping it', { err: (err as Error).message, readings: rec.count });
      }
    }
    if (lines.length > 0 && !(await this.send(batch, lines))) return this.giveUp();
    batch.settled = true;
    this.confirmPrefix();
    this.wakeAll();
  }

  /** Writes until InfluxDB stored or refused the lines; false when it gave up (stopping). */
  private async send(batch: Batch, lines: string[]): Promise<boolean> {
    const body = lines.join('\n');
    let backoff = BACKOFF_MIN_MS;
    for (;;) {
      if (this.expired) return false;
      const { outcome, error } = await this.opts.sink.write(body);
      if (outcome === 'ok') {
        batch.written = lines.length;
        if (this.lastError !== null) this.opts.events.log('info', 'InfluxDB writes recovered');
        this.setError(null);
        return true;
      }
      this.setError(error ?? outcome);
      if (outcome === 'rejected') {
        batch.dropped += lines.length;
        this.opts.events.log('error', 'InfluxDB refused a batch as invalid; skipping it', { err: error, points: lines.length });
        return true;
      }
      if (outcome === 'no-database') {
        this.databaseReady = false;
        if (!(await this.ensureDatabase())) return false;
        continue;
      }
      this.opts.events.log('warn', 'InfluxDB write failed; the spool keeps the data', { err: error, retryInMs: backoff });
      if (this.stopping) return false;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    }
  }

  private giveUp(): void {
    this.gaveUp = true;
    this.wakeAll();
  }

  private confirmPrefix(): void {
    let readings = 0;
    let written = 0;
    let dropped = 0;
    let next: SpoolPosition | null = null;
    while (this.inflight[0]?.settled) {
      const b = this.inflight.shift()!;
      readings += b.readings;
      written += b.written;
      dropped += b.dropped;
      next = b.next;
    }
    if (next) this.opts.events.confirmed(next, readings, written, dropped);
  }

  /** Shared by all deliveries, so a missing database is created once; false when stopping. */
  private ensureDatabase(): Promise<boolean> {
    if (this.databaseReady) return Promise.resolve(true);
    this.creatingDatabase ??= (async () => {
      let backoff = BACKOFF_MIN_MS;
      while (!this.stopping) {
        try {
          await this.opts.sink.createDatabase();
          this.databaseReady = true;
          return true;
        } catch (err) {
          this.setError((err as Error).message);
          this.opts.events.log('warn', 'InfluxDB not reachable to create the database; retrying', { err: this.lastError });
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
        }
      }
      return false;
    })().finally(() => {
      this.creatingDatabase = null;
    });
    return this.creatingDatabase;
  }

  private setError(error: string | null): void {
    if (error === this.lastError) return;
    this.lastError = error;
    this.opts.events.status(error);
  }

  /** Until new data, a settled batch, stop, or `ms`. */
  private wait(ms: number): Promise<void> {
    return this.timer(this.wakers, ms);
  }

  private waitForSettle(): Promise<void> {
    const settledBefore = this.inflight.length;
    // wait() also wakes on new data; loop until a batch settled (or stop) so small batches grow.
    const again = async (): Promise<void> => {
      await this.wait(IDLE_POLL_MS);
      if (this.inflight.length >= settledBefore && this.inflight.every((b) => !b.settled) && !this.stopping) return again();
    };
    return again();
  }

  /** Backoff: cut short by stop() only (new data must not hammer a failing InfluxDB). */
  private sleep(ms: number): Promise<void> {
    return this.stopping ? Promise.resolve() : this.timer(this.sleepers, ms);
  }

  /** Resolves after `ms` or when its entry in `set` is called, whichever is first. */
  private timer(set: Set<() => void>, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  private wakeAll(): void {
    for (const w of [...this.wakers]) w();
    if (this.stopping) for (const s of [...this.sleepers]) s();
  }
}
