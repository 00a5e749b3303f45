import { crc32 } from 'node:zlib';

/**
 * On-disk record: [u32 payload length][u32 crc32 of (count + payload)][u32 reading count][payload].
 * The CRC lets recovery tell a complete record from a torn tail left by SIGKILL or power loss.
 */
export const RECORD_HEADER_BYTES = 12;
/** Upper bound for one record; anything larger in a header means the bytes are garbage. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export function encodeRecord(payload: Buffer, count: number): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(count, 8);
  payload.copy(out, RECORD_HEADER_BYTES);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

export interface DecodedRecord {
  payload: Buffer;
  count: number;
  /** Bytes the record occupies including its header. */
  size: number;
}

/**
 * Decodes the record starting at `offset`. Returns `incomplete` when the buffer ends inside the
 * record (read more) and `corrupt` when the bytes cannot be a record (torn or damaged).
 */
export function decodeRecord(buf: Buffer, offset: number): DecodedRecord | 'incomplete' | 'corrupt' {
  if (buf.length - offset < RECORD_HEADER_BYTES) return 'incomplete';
  const length = buf.readUInt32LE(offset);
  if (length > MAX_RECORD_BYTES) return 'corrupt';
  const size = RECORD_HEADER_BYTES + length;
  if (buf.length - offset < size) return 'incomplete';
  const crc = buf.readUInt32LE(offset + 4);
  const body = buf.subarray(offset + 8, offset + size);
  if (crc32(body) !== crc) return 'corrupt';
  return { payload: buf.subarray(offset + RECORD_HEADER_BYTES, offset + size), count: buf.readUInt32LE(offset + 8), size };
}
