import type { Duplex, Readable } from 'node:stream';

/**
 * Incremental MQTT framing watcher: follows each packet's fixed header (type byte + the
 * remaining-length varint, which may be split across chunks) and skips the declared body bytes.
 * It never buffers: it only counts, so memory use is constant whatever a client declares.
 */
export class PacketSizeGuard {
  private state: 'type' | 'length' | 'body' = 'type';
  private remaining = 0; // body bytes still to skip
  private length = 0; // remaining length being decoded
  private multiplier = 1;
  private lengthBytes = 0;

  constructor(private readonly maxPacketBytes: number) {}

  /** Returns null while the stream is acceptable, else why it must be cut off. */
  feed(chunk: Uint8Array): string | null {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.state === 'body') {
        const skip = Math.min(this.remaining, n - i);
        this.remaining -= skip;
        i += skip;
        if (this.remaining === 0) this.state = 'type';
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === 'type') {
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        continue;
      }
      // state === 'length'
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes += 1;
      if (byte & 0x80) {
        // The varint has at most 4 bytes [MQTT-2.2.3]; a 5th continuation is malformed.
        if (this.lengthBytes >= 4) return 'malformed remaining length';
        continue;
      }
      const total = 1 + this.lengthBytes + this.length;
      if (total > this.maxPacketBytes) return `packet of ${total} bytes exceeds the ${this.maxPacketBytes}-byte limit`;
      this.remaining = this.length;
      this.state = this.remaining === 0 ? 'type' : 'body';
    }
    return null;
  }
}

/**
 * Applies the guard to a readable before anything consumes it: every chunk the stream pushes
 * (net.Socket from libuv, the ws duplex from WebSocket messages) passes the guard first, so an
 * oversize packet is refused before a single byte of its body is queued for aedes.
 * Hooking `push` instead of piping through a Transform keeps the hot path free of an extra
 * stream hop per chunk.
 */
export function guardPacketSize(stream: Duplex | Readable, maxPacketBytes: number, onViolation: (reason: string) => void): void {
  const guard = new PacketSizeGuard(maxPacketBytes);
  const push = stream.push.bind(stream);
  let cut = false;
  stream.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (cut) return false;
    if (chunk !== null && chunk !== undefined) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : (chunk as Uint8Array);
      const problem = guard.feed(bytes);
      if (problem) {
        cut = true;
        onViolation(problem);
        stream.destroy();
        return false;
      }
    }
    return push(chunk, encoding);
  };
}
