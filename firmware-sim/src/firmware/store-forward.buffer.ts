import type { ReadingValues } from '@sanitation/contracts';

export type BufferedReading = { ts: number; seq: number } & ReadingValues;

/**
 * Bounded store-and-forward buffer. Readings stay here until PUBACKed: `pending` have not been
 * sent on the current connection, `inflight` batches await their PUBACK. When full, the oldest
 * pending reading is dropped (counted), as flash-limited field firmware does.
 */
export class StoreForwardBuffer {
  private pending: BufferedReading[] = [];
  private readonly inflight = new Map<number, BufferedReading[]>();
  private inflightCount = 0;
  private nextBatchId = 1;
  dropped = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.pending.length + this.inflightCount;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  get inflightBatches(): number {
    return this.inflight.size;
  }

  push(reading: BufferedReading): void {
    this.pending.push(reading);
    while (this.size > this.capacity && this.pending.length > 0) {
      this.pending.shift();
      this.dropped++;
    }
  }

  /** Moves up to `max` oldest pending readings into a new in-flight batch. */
  take(max: number): { id: number; readings: BufferedReading[] } | null {
    if (this.pending.length === 0) return null;
    const readings = this.pending.splice(0, max);
    const id = this.nextBatchId++;
    this.inflight.set(id, readings);
    this.inflightCount += readings.length;
    return { id, readings };
  }

  /** PUBACK received: the batch may be forgotten. Returns how many readings it held (0 if unknown). */
  ack(id: number): number {
    const readings = this.inflight.get(id);
    if (!readings) return 0;
    this.inflight.delete(id);
    this.inflightCount -= readings.length;
    return readings.length;
  }

  /** Not acknowledged (send error, connection lost): back to pending, in seq order. */
  requeue(id: number): void {
    const readings = this.inflight.get(id);
    if (!readings) return;
    this.inflight.delete(id);
    this.inflightCount -= readings.length;
    this.pending = [...readings, ...this.pending].sort((a, b) => a.seq - b.seq);
  }

  requeueAll(): void {
    for (const id of [...this.inflight.keys()]) this.requeue(id);
  }
}
