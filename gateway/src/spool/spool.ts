import { closeSync, fdatasync, fsyncSync, openSync, write as fsWrite, ftruncate } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayErrorCode, GatewayException } from '../gateway.exception.js';
import { decodeRecord, encodeRecord, MAX_RECORD_BYTES } from './spool-record.js';
import { segmentName, SEGMENT_SUFFIX, SpoolReader, type SpoolLayout, type SpoolPosition, type SpoolRecord } from './spool-reader.js';

export type { SpoolLayout, SpoolPosition, SpoolRecord } from './spool-reader.js';

export interface SpoolOptions {
  dir: string;
  /** Rotate to a new segment once the active one reaches this size (bytes). */
  segmentBytes?: number;
  /** Rewrite the checkpoint file at most this often (ms); close() writes the last one at once. */
  checkpointIntervalMs?: number;
  /** Warnings (torn tail truncated, ...). */
  onWarning?: (message: string) => void;
}

export interface RecoveredRecord {
  payload: Buffer;
  count: number;
  /** True when the record lies after the checkpoint, i.e. InfluxDB has not confirmed it. */
  pending: boolean;
}

type Callback = (err: Error | null) => void;

const CHECKPOINT_FILE = 'checkpoint.json';
const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const DEFAULT_CHECKPOINT_INTERVAL_MS = 1000;
/** Only this much of the newest log is parsed at start to rebuild the duplicate window. */
const RECOVERY_TAIL_BYTES = 64 * 1024 * 1024;

/**
 * Append-only segmented write-ahead log with group commit.
 *
 * Every append made while no write is in flight is coalesced (one `setImmediate`) into one
 * write + fdatasync; appends arriving while that is in flight form the next group. Callbacks
 * fire only after the fdatasync returned, so a callback means "on disk".
 */
export class Spool {
  private fd = -1;
  private active = 0;
  private activeSize = 0;
  /** Sizes of closed segments still on disk. */
  private readonly closedSegments = new Map<number, number>();
  private queue: { buf: Buffer; cb: Callback; count: number }[] = [];
  private flushing = false;
  private scheduled = false;
  private closed = false;
  private durableWaiters: (() => void)[] = [];
  private checkpointPos: SpoolPosition;
  private checkpointWriting: Promise<void> = Promise.resolve();
  /** The checkpoint write waiting for its turn; later confirmations ride on it. */
  private checkpointQueued: Promise<void> | null = null;
  private lastCheckpointAt = 0;
  private cutCheckpointDelay: (() => void) | null = null;
  private readonly checkpointIntervalMs: number;
  private readonly reader: SpoolReader;
  private readonly warn: (message: string) => void;
  /** Readings appended (durably) and not yet confirmed; maintained by append/confirm. */
  pendingReadings = 0;
  confirmedReadings = 0;
  /** Group commits done (write + fdatasync pairs); appends/commits is the batching factor. */
  commits = 0;
  private readonly segmentBytes: number;

  private constructor(
    private readonly dir: string,
    opts: SpoolOptions,
  ) {
    this.segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.checkpointIntervalMs = opts.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
    this.reader = new SpoolReader(dir);
    this.warn = opts.onWarning ?? (() => {});
    this.checkpointPos = { segment: 0, offset: 0 };
  }

  /**
   * Opens (or creates) the spool: truncates a torn tail, then hands every surviving record of the
   * log's tail to `onRecord` (to rebuild the duplicate window; `pending` marks what InfluxDB has not
   * confirmed yet).
   */
  static async open(opts: SpoolOptions, onRecord?: (record: RecoveredRecord) => void): Promise<Spool> {
    const spool = new Spool(opts.dir, opts);
    await spool.recover(opts.onWarning ?? (() => {}), onRecord ?? (() => {}));
    return spool;
  }

  private async recover(warn: (m: string) => void, onRecord: (r: RecoveredRecord) => void): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const names = (await readdir(this.dir)).filter((n) => n.endsWith(SEGMENT_SUFFIX)).sort();
    const segments = names.map((n) => Number.parseInt(n, 10)).filter((n) => Number.isSafeInteger(n));
    this.checkpointPos = await this.readCheckpoint(segments[0] ?? 1);

    const sizes: number[] = [];
    for (const seg of segments) sizes.push((await stat(join(this.dir, segmentName(seg)))).size);
    let tailBudget = RECOVERY_TAIL_BYTES;
    let firstParsed = segments.length;
    for (let i = segments.length - 1; i >= 0 && tailBudget > 0; i--) {
      tailBudget -= sizes[i]!;
      firstParsed = i;
    }
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const path = join(this.dir, segmentName(seg));
      if (seg < this.checkpointPos.segment) {
        // Fully confirmed but not yet deleted (crash between checkpoint and unlink).
        await rm(path, { force: true });
        continue;
      }
      // Every segment after the checkpoint is validated (we must know its records' counts);
      // only the tail is parsed for the duplicate window.
      const data = await readFile(path);
      let offset = 0;
      while (offset < data.length) {
        const rec = decodeRecord(data, offset);
        if (rec === 'incomplete' || rec === 'corrupt') {
          warn(`spool: ${rec} record at ${segmentName(seg)}:${offset}; truncating ${data.length - offset} bytes (torn tail)`);
          await truncate(path, offset);
          break;
        }
        const pending = seg > this.checkpointPos.segment || offset >= this.checkpointPos.offset;
        if (pending) this.pendingReadings += rec.count;
        if (i >= firstParsed) onRecord({ payload: rec.payload, count: rec.count, pending });
        offset += rec.size;
      }
      if (i < segments.length - 1) this.closedSegments.set(seg, offset);
      else {
        this.active = seg;
        this.activeSize = offset;
      }
    }
    if (this.active === 0) {
      // Empty spool: start after the checkpoint's segment so an old offset cannot skip new data.
      this.active = this.checkpointPos.offset > 0 ? this.checkpointPos.segment + 1 : Math.max(this.checkpointPos.segment, 1);
      this.activeSize = 0;
    }
    if (!segments.includes(this.checkpointPos.segment)) {
      const first = segments.find((s) => s > this.checkpointPos.segment) ?? this.active;
      this.checkpointPos = { segment: first, offset: 0 };
    }
    this.fd = openSync(join(this.dir, segmentName(this.active)), 'a+');
    this.syncDir();
  }

  private async readCheckpoint(fallbackSegment: number): Promise<SpoolPosition> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, CHECKPOINT_FILE), 'utf8')) as SpoolPosition;
      if (Number.isSafeInteger(parsed.segment) && Number.isSafeInteger(parsed.offset)) return parsed;
    } catch {
      // missing or unreadable: replay from the oldest segment (InfluxDB writes are idempotent)
    }
    return { segment: fallbackSegment, offset: 0 };
  }

  private syncDir(): void {
    // A new segment file must survive a crash too: fsync the directory entry.
    const dfd = openSync(this.dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }

  /** Appends one record; `cb` fires after the group's fdatasync (or with the error). */
  append(payload: Buffer, count: number, cb: Callback): void {
    if (this.closed) {
      cb(new GatewayException(GatewayErrorCode.SPOOL_CLOSED, 'spool is closed'));
      return;
    }
    if (payload.length > MAX_RECORD_BYTES) {
      cb(new GatewayException(GatewayErrorCode.SPOOL_CORRUPT, `record of ${payload.length} bytes exceeds ${MAX_RECORD_BYTES}`));
      return;
    }
    this.queue.push({ buf: encodeRecord(payload, count), cb, count });
    this.schedule();
  }

  /** Calls back once everything appended so far is durable (immediately when nothing is in flight). */
  whenDurable(cb: () => void): void {
    if (!this.flushing && this.queue.length === 0) {
      cb();
      return;
    }
    this.durableWaiters.push(cb);
    this.schedule();
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.flushing) return;
    if (this.queue.length === 0) {
      this.releaseWaiters();
      return;
    }
    this.flushing = true;
    const group = this.queue;
    this.queue = [];
    const waiters = this.durableWaiters;
    this.durableWaiters = [];
    const buf = group.length === 1 ? group[0]!.buf : Buffer.concat(group.map((g) => g.buf));
    const startSize = this.activeSize;
    const fd = this.fd;
    const finish = (err: Error | null) => {
      if (err) {
        // Undo a partial write so the log stays a sequence of whole records.
        ftruncate(fd, startSize, () => {});
      } else {
        this.commits += 1;
        this.activeSize = startSize + buf.length;
        for (const g of group) this.pendingReadings += g.count;
      }
      this.flushing = false;
      for (const g of group) g.cb(err);
      for (const w of waiters) w();
      if (!err && this.activeSize >= this.segmentBytes) this.rotate();
      if (this.queue.length > 0 || this.durableWaiters.length > 0) this.schedule();
    };
    let written = 0;
    const writeMore = () => {
      fsWrite(fd, buf, written, buf.length - written, startSize + written, (err, n) => {
        if (err) return finish(err);
        written += n;
        if (written < buf.length) return writeMore();
        fdatasync(fd, (syncErr) => finish(syncErr));
      });
    };
    writeMore();
  }

  private releaseWaiters(): void {
    const waiters = this.durableWaiters;
    this.durableWaiters = [];
    for (const w of waiters) w();
  }

  private rotate(): void {
    closeSync(this.fd);
    this.closedSegments.set(this.active, this.activeSize);
    this.active += 1;
    this.activeSize = 0;
    this.fd = openSync(join(this.dir, segmentName(this.active)), 'a+');
    this.syncDir();
  }

  /** End of the durable log. */
  get committed(): SpoolPosition {
    return { segment: this.active, offset: this.activeSize };
  }

  get checkpoint(): SpoolPosition {
    return { ...this.checkpointPos };
  }

  /** Closed segments (with their final sizes) and the committed end: all a reader needs. */
  layout(): SpoolLayout {
    return { committed: this.committed, closed: new Map(this.closedSegments) };
  }

  /** Reads durable records from `from` until about `maxReadings` readings are gathered. */
  read(from: SpoolPosition, maxReadings: number): Promise<SpoolRecord[]> {
    return this.reader.read(from, { committed: this.committed, closed: this.closedSegments }, maxReadings);
  }

  /**
   * Records that InfluxDB confirmed everything before `pos` (`readings` of them). The checkpoint
   * file is rewritten (atomically) at most every `checkpointIntervalMs`, always with the newest
   * position, and wholly confirmed segments are deleted after it: a checkpoint that lags only
   * means some replay (points are idempotent). Resolves once a checkpoint ≥ `pos` is on disk.
   */
  confirm(pos: SpoolPosition, readings: number): Promise<void> {
    this.checkpointPos = { ...pos };
    this.pendingReadings = Math.max(0, this.pendingReadings - readings);
    this.confirmedReadings += readings;
    if (!this.checkpointQueued) {
      this.checkpointQueued = this.checkpointWriting
        .then(() => this.checkpointDelay())
        .then(() => {
          this.checkpointQueued = null;
          return this.persistCheckpoint();
        })
        .catch((err: Error) => this.warn(`spool: checkpoint not written (${err.message}); it is retried with the next confirmation`));
      this.checkpointWriting = this.checkpointQueued;
    }
    return this.checkpointQueued;
  }

  /** Waits out the rest of the checkpoint interval; cut short by close(). */
  private checkpointDelay(): Promise<void> {
    const wait = this.lastCheckpointAt + this.checkpointIntervalMs - Date.now();
    if (wait <= 0 || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      this.cutCheckpointDelay = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.cutCheckpointDelay = null;
    });
  }

  private async persistCheckpoint(): Promise<void> {
    const pos = this.checkpointPos;
    this.lastCheckpointAt = Date.now();
    const tmp = join(this.dir, `${CHECKPOINT_FILE}.tmp`);
    await writeFile(tmp, JSON.stringify(pos), { flush: true });
    await rename(tmp, join(this.dir, CHECKPOINT_FILE));
    for (const seg of [...this.closedSegments.keys()]) {
      if (seg < pos.segment) {
        this.closedSegments.delete(seg);
        await rm(join(this.dir, segmentName(seg)), { force: true });
      }
    }
  }

  /** Flushes outstanding appends and closes the active segment. */
  async close(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => this.whenDurable(resolve));
    this.closed = true;
    this.cutCheckpointDelay?.();
    await this.checkpointWriting;
    closeSync(this.fd);
  }
}
