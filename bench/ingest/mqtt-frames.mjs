// Minimal incremental MQTT 3.1.1 frame splitter for the benchmark's raw sockets.
// The load generator and the subscriber only need packet type, packet id and a count, so a
// full parser (mqtt-packet's, which builds an object per packet) would cost more CPU than the
// broker it measures. Packets are *encoded* with mqtt-packet (see load-generator.mjs).

export const PACKET = Object.freeze({
  CONNACK: 2,
  PUBLISH: 3,
  PUBACK: 4,
  SUBACK: 9,
  PINGRESP: 13,
});

/**
 * Splits a TCP byte stream into MQTT frames [MQTT-2.2]: 1 byte header, 1–4 byte remaining
 * length (varint), body.
 */
export class FrameSplitter {
  /**
   * @param {(type: number, flags: number, buf: Buffer, bodyStart: number, bodyLength: number) => void} onPacket
   */
  constructor(onPacket) {
    this.onPacket = onPacket;
    /** @type {Buffer | null} bytes of an incomplete frame carried to the next chunk */
    this.pending = null;
  }

  /** @param {Buffer} chunk */
  push(chunk) {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const end = buf.length;
    let offset = 0;
    while (offset + 2 <= end) {
      let length = 0;
      let multiplier = 1;
      let pos = offset + 1;
      let complete = false;
      // Remaining length: at most 4 bytes [MQTT-2.2.3].
      for (let i = 0; i < 4 && pos < end; i++) {
        const byte = buf[pos++];
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete) {
        if (pos - offset - 1 >= 4) throw new Error('malformed remaining length');
        break;
      }
      if (pos + length > end) break;
      const header = buf[offset];
      this.onPacket(header >> 4, header & 0x0f, buf, pos, length);
      offset = pos + length;
    }
    this.pending = offset < end ? Buffer.from(buf.subarray(offset)) : null;
  }
}

/**
 * Writes `value` right-aligned as ASCII digits into `width` bytes at `offset`, padding with
 * spaces (JSON whitespace), so a pre-encoded payload keeps its length.
 * @param {Buffer} buf @param {number} offset @param {number} width @param {number} value
 */
export function writePaddedInt(buf, offset, width, value) {
  let v = Math.floor(value);
  let pos = offset + width - 1;
  do {
    buf[pos--] = 48 + (v % 10);
    v = Math.floor(v / 10);
  } while (v > 0 && pos >= offset);
  if (v > 0) throw new Error(`value ${value} does not fit in ${width} digits`);
  while (pos >= offset) buf[pos--] = 32;
}
