import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { InfluxConfig } from '../config/gateway.config.js';
import type { Spool } from '../spool/spool.js';
import type { FromWriter, LayoutMessage, ToWriter, WriterData } from './writer-messages.js';

const RESPAWN_DELAY_MS = 1000; // after an unexpected worker exit; it resumes from the checkpoint
const STOP_GRACE_MS = 500; // beyond the drain time, for the worker's last messages

// vitest runs the TypeScript sources (with a loader for the worker); production runs dist/.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './influx-writer.worker.ts' : './influx-writer.worker.js', import.meta.url);

export interface InfluxWriterOptions {
  influx: InfluxConfig;
  spool: Spool;
  spoolDir: string;
  logger: Logger;
  /** Node flags for the worker thread (tests pass a TypeScript loader). */
  workerExecArgv?: string[];
}

/**
 * Main-thread side of the InfluxDB writer. The work (see write-pipeline.ts) runs in a worker
 * thread that reads the spool files itself; this side tells it how far the spool is durable
 * and turns its confirmations into spool checkpoints. Stats are kept here for /stats.
 */
export class InfluxWriter {
  written = 0;
  /** Points InfluxDB refused as invalid (HTTP 4xx); logged, and skipped so ingest is not stuck. */
  dropped = 0;
  lastError: string | null = null;
  private worker: Worker | null = null;
  private stopping = false;
  private onStopped: (() => void) | null = null;
  /** The latest checkpoint write, awaited by stop(). */
  private confirming: Promise<void> = Promise.resolve();

  constructor(private readonly opts: InfluxWriterOptions) {}

  start(): void {
    this.spawn();
  }

  private layout(): LayoutMessage {
    const { committed, closed } = this.opts.spool.layout();
    return { type: 'layout', committed, closed: [...closed] };
  }

  private spawn(): void {
    const { spool, logger } = this.opts;
    const data: WriterData = { spoolDir: this.opts.spoolDir, influx: this.opts.influx, from: spool.checkpoint, layout: this.layout() };
    const worker = new Worker(WORKER_URL, { workerData: data, execArgv: this.opts.workerExecArgv ?? [] });
    this.worker = worker;
    worker.on('message', (m: FromWriter) => this.onMessage(m));
    worker.on('error', (err) => logger.error({ err: err.message }, 'InfluxDB writer thread failed'));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      this.onStopped?.();
      if (this.stopping) return;
      // Everything unconfirmed is still in the spool: a new thread starts from the checkpoint.
      logger.error({ code, retryInMs: RESPAWN_DELAY_MS }, 'InfluxDB writer thread exited; restarting it');
      setTimeout(() => {
        if (!this.stopping) this.spawn();
      }, RESPAWN_DELAY_MS).unref();
    });
  }

  private onMessage(m: FromWriter): void {
    switch (m.type) {
      case 'confirmed':
        this.written += m.written;
        this.dropped += m.dropped;
        this.confirming = this.opts.spool.confirm(m.next, m.readings);
        break;
      case 'status':
        this.lastError = m.lastError;
        break;
      case 'log':
        this.opts.logger[m.level](m.data ?? {}, m.msg);
        break;
      case 'stopped':
        this.onStopped?.();
        break;
    }
  }

  private post(m: ToWriter): void {
    this.worker?.postMessage(m);
  }

  /** New data is durable in the spool. */
  notify(): void {
    if (!this.stopping) this.post(this.layout());
  }

  /** Writes what it can within `drainMs`, then stops; the rest stays in the spool. */
  async stop(drainMs = 5000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const worker = this.worker;
    if (worker) {
      const stopped = new Promise<void>((resolve) => {
        this.onStopped = resolve;
      });
      this.post(this.layout()); // the final commits of the shutdown
      this.post({ type: 'stop', drainMs });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs + STOP_GRACE_MS)))]);
      clearTimeout(timer);
      await worker.terminate();
    }
    await this.confirming;
  }

  /** Abrupt: ends the thread now; unconfirmed batches are replayed from the spool next start. */
  async kill(): Promise<void> {
    this.stopping = true;
    await this.worker?.terminate();
    this.worker = null;
  }
}
