import { DEVICE_KINDS } from '@sanitation/contracts';
import type { Stack } from './stack.js';

export interface StoredCounts {
  /** Points per device. */
  count: Map<string, number>;
  /** Distinct `seq` values per device: equal to `count` when nothing is stored twice. */
  distinct: Map<string, number>;
}

/** Counts what InfluxDB holds per device, over every kind's measurement. */
export async function storedCounts(stack: Stack): Promise<StoredCounts> {
  const count = new Map<string, number>();
  const distinct = new Map<string, number>();
  for (const kind of DEVICE_KINDS) {
    const series = await stack.influxQuery(`SELECT count("seq"), count(distinct("seq")) FROM "${kind}" GROUP BY "deviceId"`);
    for (const s of series) {
      const id = s.tags?.deviceId;
      const row = s.values[0];
      if (!id || !row) continue;
      const i = s.columns.indexOf('count');
      const j = s.columns.indexOf('count_1');
      count.set(id, (count.get(id) ?? 0) + Number(row[i]));
      distinct.set(id, (distinct.get(id) ?? 0) + Number(row[j]));
    }
  }
  return { count, distinct };
}

/** Devices whose stored count differs from what the simulator had acknowledged. */
export function mismatches(expected: Map<string, number>, stored: StoredCounts): string[] {
  const out: string[] = [];
  for (const [id, n] of expected) {
    const got = stored.count.get(id) ?? 0;
    const uniq = stored.distinct.get(id) ?? 0;
    if (got !== n || uniq !== n) out.push(`${id}: acked ${n}, stored ${got} (distinct seq ${uniq})`);
  }
  for (const id of stored.count.keys()) if (!expected.has(id)) out.push(`${id}: stored but never acked`);
  return out;
}

/**
 * Waits until InfluxDB holds exactly the acknowledged readings of every device, and returns the
 * devices that still differ when time runs out (empty on success).
 */
export async function awaitExactlyOnce(stack: Stack, acked: Map<string, number>, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const diff = mismatches(acked, await storedCounts(stack));
    if (diff.length === 0 || Date.now() > deadline) return diff;
    await new Promise((r) => setTimeout(r, 2000));
  }
}
