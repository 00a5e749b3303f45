/**
 * Per-device memory of recently accepted sequence numbers: a bitmap ring of the last WINDOW
 * seqs below the highest one seen. A seq inside the window that is marked is a duplicate (QoS 1
 * retransmission, re-flushed store-and-forward batch). Seqs older than the window are let
 * through: InfluxDB still stores them once, because the point's timestamp is derived from
 * (ts, seq) and a rewrite overwrites itself.
 */
const WINDOW = 8192; // seqs per device; 1 KiB each

interface DeviceWindow {
  max: number;
  bits: Uint8Array;
}

export class SeqWindow {
  private readonly devices = new Map<string, DeviceWindow>();

  /** Marks `seq` as seen; returns false when it already was (a duplicate). */
  add(deviceId: string, seq: number): boolean {
    let w = this.devices.get(deviceId);
    if (!w) {
      w = { max: seq, bits: new Uint8Array(WINDOW / 8) };
      this.devices.set(deviceId, w);
      set(w.bits, seq);
      return true;
    }
    if (seq > w.max) {
      if (seq - w.max >= WINDOW) w.bits.fill(0);
      else for (let s = w.max + 1; s < seq; s++) clear(w.bits, s);
      w.max = seq;
      set(w.bits, seq);
      return true;
    }
    if (w.max - seq >= WINDOW) return true; // too old to judge; InfluxDB dedups it
    if (get(w.bits, seq)) return false;
    set(w.bits, seq);
    return true;
  }

  /** Forgets a seq (its spool append failed, so a retransmission must be accepted). */
  remove(deviceId: string, seq: number): void {
    const w = this.devices.get(deviceId);
    if (w && w.max - seq < WINDOW && seq <= w.max) clear(w.bits, seq);
  }
}

function set(bits: Uint8Array, seq: number): void {
  const i = seq % WINDOW;
  bits[i >> 3]! |= 1 << (i & 7);
}
function clear(bits: Uint8Array, seq: number): void {
  const i = seq % WINDOW;
  bits[i >> 3]! &= ~(1 << (i & 7));
}
function get(bits: Uint8Array, seq: number): boolean {
  const i = seq % WINDOW;
  return (bits[i >> 3]! & (1 << (i & 7))) !== 0;
}
