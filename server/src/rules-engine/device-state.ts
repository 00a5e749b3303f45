import type { ReadingValues } from '@sanitation/contracts';
import type { LevelReading } from '../rules/forecast/fill-forecast.js';
import type { StreetlightFaultCode } from '../rules/streetlight/streetlight-conditions.js';

/** Recent seqs remembered per device for de-duplication (at-least-once delivery repeats them). */
const SEQ_MEMORY = 64;
/** Most level points kept per bin/tank for the forecast (the fit caps at 300 anyway). */
const MAX_LEVEL_POINTS = 300;
/** Most temperature points kept per bin for the jump check. */
const MAX_TEMP_POINTS = 64;

/** Small per-device memory of the rules engine. */
export class DeviceState {
  /** Newest reading ts applied to the hysteresis decisions; older readings are stale. */
  lastTs = Number.NEGATIVE_INFINITY;
  lastValues: ReadingValues = {};
  private readonly seqs = new Set<number>();
  private readonly seqOrder: number[] = [];

  // bins and septic tanks
  levels: LevelReading[] = [];
  lastForecastAt = Number.NEGATIVE_INFINITY;
  temps: { ts: number; value: number }[] = [];
  // toilets
  visitsSinceCleaning = 0;
  // streetlights: the open lamp failure's onset
  failure: { since: number; code: StreetlightFaultCode } | undefined;

  /** True the first time a seq is seen (within the last SEQ_MEMORY seqs). */
  firstDelivery(seq: number): boolean {
    if (this.seqs.has(seq)) return false;
    this.seqs.add(seq);
    this.seqOrder.push(seq);
    if (this.seqOrder.length > SEQ_MEMORY) this.seqs.delete(this.seqOrder.shift()!);
    return true;
  }

  /**
   * Keeps a level point for the forecast, at most one per `spacingMs` (a bin reporting every
   * minute would otherwise fill the memory with near-duplicates) unless the level moved by
   * `bigStepPct` (an emptying must be seen). Drops points older than `windowMs`.
   */
  recordLevel(ts: number, value: number, spacingMs: number, windowMs: number, bigStepPct = 10): void {
    const last = this.levels[this.levels.length - 1];
    if (last && ts - last.ts < spacingMs && Math.abs(value - last.value) < bigStepPct) return;
    this.levels.push({ ts, value });
    const from = ts - windowMs;
    let drop = 0;
    while (drop < this.levels.length && this.levels[drop]!.ts < from) drop++;
    if (this.levels.length - drop > MAX_LEVEL_POINTS) drop = this.levels.length - MAX_LEVEL_POINTS;
    if (drop) this.levels.splice(0, drop);
  }

  /** Rise of `value` over the lowest temperature within `windowMs` before `ts` (0 if none). */
  recordTemp(ts: number, value: number, windowMs: number): number {
    const from = ts - windowMs;
    this.temps = this.temps.filter((t) => t.ts >= from && t.ts < ts);
    let lowest = Number.POSITIVE_INFINITY;
    for (const t of this.temps) lowest = Math.min(lowest, t.value);
    this.temps.push({ ts, value });
    if (this.temps.length > MAX_TEMP_POINTS) this.temps.shift();
    return Number.isFinite(lowest) ? value - lowest : 0;
  }
}
