import type { AcceptedReading } from '@sanitation/contracts';

/** Tag values escape commas, equals signs and spaces (line protocol). */
function escapeTag(value: string): string {
  return /[,= \\\n]/.test(value) ? value.replace(/([,= \\])/g, '\\$1').replace(/\n/g, '\\n') : value;
}

/**
 * Point timestamp in ns = ts (ms) × 10⁶ + seq mod 10⁶, built as a decimal string (it exceeds
 * 2⁵³): a replayed reading lands on the same point (stored once), two readings of one device in
 * the same millisecond stay distinct.
 */
export function pointTimestampNs(ts: number, seq: number): string {
  const sub = seq % 1_000_000;
  if (ts === 0) return String(sub);
  return `${ts}${String(sub).padStart(6, '0')}`;
}

/**
 * Measurement = kind; tags deviceId and zone (when known); fields = the values (numbers as
 * floats, booleans as booleans) plus `seq` as an integer field.
 */
export function toLineProtocol(r: AcceptedReading): string {
  let line = `${r.kind},deviceId=${escapeTag(r.deviceId)}`;
  if (r.zone) line += `,zone=${escapeTag(r.zone)}`;
  line += ' ';
  for (const key in r.values) {
    const v = r.values[key];
    // Field keys come from the contracts' schemas (plain identifiers), no escaping needed.
    line += typeof v === 'boolean' ? `${key}=${v ? 'true' : 'false'},` : `${key}=${v},`;
  }
  return `${line}seq=${r.seq}i ${pointTimestampNs(r.ts, r.seq)}`;
}
