import type { AcceptedReading, DeviceKind, ReadingsBatch } from '@sanitation/contracts';
import { parseTelemetryPayload, readingValues } from '@sanitation/contracts';
import type { Logger } from 'pino';
import type { CredentialCache } from '../credentials/credential-cache.js';
import type { Spool } from '../spool/spool.js';
import type { IngestStats } from './ingest-stats.js';
import { SeqWindow } from './seq-window.js';

/** A spool record (and so an InfluxDB batch and a bus message) holds about this many readings. */
const RECORD_READINGS = 5000;

type Done = (err?: Error | null) => void;

export interface IngestOptions {
  gatewayId: string;
  spool: Spool;
  credentials: CredentialCache;
  stats: IngestStats;
  logger: Logger;
  /** Seqs already accepted: filled from the spool's tail at start-up (`rememberSpoolRecord`). */
  seqWindow: SeqWindow;
  /** Hands a committed ReadingsBatch (JSON bytes) to the server via the broker. */
  publishBatch: (payload: Buffer) => void;
  /** Wakes the InfluxDB writer after a commit. */
  onCommitted?: () => void;
}

/**
 * Telemetry ingest, run inside authorizePublish so the PUBACK follows the durable append.
 * Readings accepted within one event-loop turn form one spool record (one JSON serialisation,
 * shared by the spool, the InfluxDB writer and the bus message).
 */
export class IngestService {
  private readonly seqWindow: SeqWindow;
  private group: AcceptedReading[] = [];
  private groupCallbacks: Done[] = [];
  private scheduled = false;

  constructor(private readonly opts: IngestOptions) {
    this.seqWindow = opts.seqWindow;
  }

  /**
   * Validates and spools one telemetry payload. `done` is called once the accepted readings are
   * durable. Invalid readings are counted and dropped, and the publish is still acknowledged:
   * a device retrying garbage forever helps nobody. Never throws.
   */
  handleTelemetry(deviceId: string, kind: DeviceKind, payload: Buffer, done: Done): void {
    const { stats } = this.opts;
    const credential = this.opts.credentials.get(deviceId);
    if (!credential || credential.kind !== kind) {
      // Only reachable with authentication off or for service clients publishing for a device.
      stats.reject(deviceId, 'unknown_device');
      done(null);
      return;
    }
    const parsed = parseTelemetryPayload(kind, payload);
    for (const rejection of parsed.rejections) stats.reject(deviceId, rejection.reason);
    const zone = credential.zone ?? undefined;
    const receivedAt = Date.now();
    let added = 0;
    let duplicates = 0;
    for (const reading of parsed.readings) {
      if (!this.seqWindow.add(deviceId, reading.seq)) {
        duplicates += 1;
        continue;
      }
      this.group.push({ deviceId, kind, zone, ts: reading.ts, seq: reading.seq, values: readingValues(reading), receivedAt });
      added += 1;
    }
    stats.duplicates += duplicates;
    if (added === 0) {
      // The original of a duplicate may not be on disk yet (still in this turn's group or in the
      // spool's commit in flight): ack only once it is, or the PUBACK could precede the data.
      if (duplicates > 0 && this.group.length > 0) this.groupCallbacks.push(done);
      else if (duplicates > 0) this.opts.spool.whenDurable(() => done(null));
      else done(null);
      return;
    }
    this.groupCallbacks.push(done);
    if (this.group.length >= RECORD_READINGS) this.seal();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.seal();
      });
    }
  }

  private seal(): void {
    if (this.group.length === 0) return;
    const readings = this.group;
    const callbacks = this.groupCallbacks;
    this.group = [];
    this.groupCallbacks = [];
    const batch: ReadingsBatch = { gatewayId: this.opts.gatewayId, readings };
    const payload = Buffer.from(JSON.stringify(batch), 'utf8');
    this.opts.spool.append(payload, readings.length, (err) => {
      if (err) {
        // Not durable: forget the seqs so the client's retransmission is accepted, and fail the
        // publishes (aedes drops the connection without PUBACK; the device resends).
        for (const r of readings) this.seqWindow.remove(r.deviceId, r.seq);
        this.opts.logger.error({ err: err.message, readings: readings.length }, 'spool append failed');
        for (const cb of callbacks) cb(err);
        return;
      }
      this.opts.stats.accepted += readings.length;
      for (const cb of callbacks) cb(null);
      this.opts.publishBatch(payload);
      this.opts.onCommitted?.();
    });
  }

  /** Seals what is pending now (shutdown). */
  flush(): void {
    this.seal();
  }
}

/** Marks the readings of a record already in the spool as seen (start-up, from the spool's tail). */
export function rememberSpoolRecord(window: SeqWindow, payload: Buffer, logger: Logger): void {
  try {
    const batch = JSON.parse(payload.toString('utf8')) as ReadingsBatch;
    for (const r of batch.readings) window.add(r.deviceId, r.seq);
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'spool record not parseable while rebuilding the duplicate window');
  }
}
