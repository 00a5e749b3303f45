import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { GatewayErrorCode, GatewayException } from '../gateway.exception.js';
import { decodeRecord, RECORD_HEADER_BYTES } from './spool-record.js';

/** A place in the log: segment number and byte offset inside it. */
export interface SpoolPosition {
  segment: number;
  offset: number;
}

export interface SpoolRecord {
  payload: Buffer;
  count: number;
  /** Position just after this record. */
  next: SpoolPosition;
}

/**
 * What is durable: closed segments with their final sizes, and the end of the active one. The
 * owning Spool produces it; the InfluxDB writer's thread gets copies by message.
 */
export interface SpoolLayout {
  committed: SpoolPosition;
  closed: ReadonlyMap<number, number>;
}

export const SEGMENT_SUFFIX = '.seg';
export const segmentName = (n: number) => `${String(n).padStart(12, '0')}${SEGMENT_SUFFIX}`;

const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Reads durable records from the segment files. Holds no state of its own, so it works in any
 * thread: bounds come from the `SpoolLayout` passed in, never from the file sizes (a segment's
 * tail past `committed` may be an unsynced or failed write).
 */
export class SpoolReader {
  constructor(private readonly dir: string) {}

  /** Reads records from `from` until about `maxReadings` readings are gathered or `layout.committed`. */
  async read(from: SpoolPosition, layout: SpoolLayout, maxReadings: number): Promise<SpoolRecord[]> {
    const { committed, closed } = layout;
    const out: SpoolRecord[] = [];
    let pos = { ...from };
    let readings = 0;
    const nextSegment = (after: number) =>
      [...closed.keys(), committed.segment].filter((s) => s > after).sort((a, b) => a - b)[0];
    while (readings < maxReadings) {
      const end = pos.segment === committed.segment ? committed.offset : closed.get(pos.segment);
      if (end === undefined) {
        const next = nextSegment(pos.segment);
        if (next === undefined) break;
        pos = { segment: next, offset: 0 };
        continue;
      }
      if (pos.offset >= end) {
        if (pos.segment >= committed.segment) break;
        pos = { segment: nextSegment(pos.segment)!, offset: 0 };
        if (out.length > 0) out[out.length - 1]!.next = { ...pos };
        continue;
      }
      const chunk = await this.readRange(pos.segment, pos.offset, Math.min(end - pos.offset, READ_CHUNK_BYTES));
      let off = 0;
      while (off < chunk.length && readings < maxReadings) {
        const rec = decodeRecord(chunk, off);
        if (rec === 'corrupt') {
          throw new GatewayException(GatewayErrorCode.SPOOL_CORRUPT, `corrupt record at ${segmentName(pos.segment)}:${pos.offset + off}`);
        }
        if (rec === 'incomplete') {
          if (off === 0) {
            // A record larger than the chunk: read exactly that record.
            const length = chunk.readUInt32LE(0);
            const whole = await this.readRange(pos.segment, pos.offset, RECORD_HEADER_BYTES + length);
            const full = decodeRecord(whole, 0);
            if (typeof full === 'string') throw new GatewayException(GatewayErrorCode.SPOOL_CORRUPT, `unreadable record at ${segmentName(pos.segment)}:${pos.offset}`);
            off = full.size;
            readings += full.count;
            out.push({ payload: Buffer.from(full.payload), count: full.count, next: { segment: pos.segment, offset: pos.offset + off } });
          }
          break;
        }
        off += rec.size;
        readings += rec.count;
        out.push({ payload: rec.payload, count: rec.count, next: { segment: pos.segment, offset: pos.offset + off } });
      }
      pos = { segment: pos.segment, offset: pos.offset + off };
    }
    return out;
  }

  private async readRange(segment: number, offset: number, length: number): Promise<Buffer> {
    const handle = await open(join(this.dir, segmentName(segment)), 'r');
    try {
      const buf = Buffer.allocUnsafe(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await handle.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buf.subarray(0, got);
    } finally {
      await handle.close();
    }
  }
}
