/**
 * Learns each device's own reporting interval, so "offline" means "silent for longer than this
 * device usually is" rather than one global timeout (a truck reports every 30 s, a septic tank
 * every few hours).
 *
 * Two intervals are learned, each the median of the last `historySize` gaps (bounded memory):
 * - measurement interval: gaps between successive reading `ts` (precise, immune to network jitter).
 *   A gap counts only if the reading did not arrive "compressed", i.e. its arrival gap is at least
 *   `compressedArrivalRatio` × its ts gap. Readings of a store-and-forward flush arrive within
 *   milliseconds of each other, so their gaps are skipped instead of teaching a wrong interval.
 * - arrival interval: gaps between arrival bursts (arrivals closer than `burstWindowMs` are one
 *   burst, i.e. one batch). Matters for devices that batch on purpose, e.g. measure every 15 min
 *   and send every hour: silence of 45 min is normal for them.
 * The learned interval is the larger of the two. One long outage is one sample among 16, which the
 * median ignores.
 */

const SECOND_MS = 1_000;

export interface ReportIntervalOptions {
  /** gaps remembered per device and per kind (measurement/arrival); memory is O(devices × this) */
  historySize: number;
  /** arrivals closer than this, ms, are one burst (one batch, or a backlog flushed at once) */
  burstWindowMs: number;
  /** a ts gap is learned only if arrival gap ≥ this ratio × ts gap (ratio, 0..1) */
  compressedArrivalRatio: number;
  /** ts gaps shorter than this, ms, are not learned (sub-second bursts of one sample) */
  minGapMs: number;
  /** gaps needed before an interval is reported */
  minSamples: number;
}

export const REPORT_INTERVAL_DEFAULTS: Readonly<ReportIntervalOptions> = Object.freeze({
  historySize: 16, // gaps per kind per device
  burstWindowMs: 2 * SECOND_MS, // 2 s
  compressedArrivalRatio: 0.5, // ratio
  minGapMs: 1 * SECOND_MS, // 1 s
  minSamples: 3, // gaps
});

/** Fixed-size ring of the most recent gaps. */
class GapRing {
  private readonly gaps: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(size: number) {
    this.gaps = new Float64Array(size);
  }

  push(gapMs: number): void {
    this.gaps[this.next] = gapMs;
    this.next = (this.next + 1) % this.gaps.length;
    if (this.filled < this.gaps.length) this.filled++;
  }

  get count(): number {
    return this.filled;
  }

  median(): number {
    const sorted = this.gaps.slice(0, this.filled).sort();
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
}

interface DeviceIntervalState {
  lastTs: number;
  lastArrivedAt: number;
  burstStartedAt: number;
  measurementGaps: GapRing;
  arrivalGaps: GapRing;
  /** medians cached until the next learned gap: evaluate() asks for every device on every tick */
  cached: { measurementIntervalMs: number | null; arrivalIntervalMs: number | null } | null;
}

export interface ObservedReading {
  /** true when this reading started a new arrival burst (not part of the same batch) */
  newBurst: boolean;
  /** arrival time of the previous reading of this device, epoch ms; null for the first one */
  previousArrivedAt: number | null;
}

export interface DeviceIntervalStats {
  /** median ts gap, ms; null until `minSamples` gaps are known */
  measurementIntervalMs: number | null;
  /** median gap between arrival bursts, ms; null until `minSamples` gaps are known */
  arrivalIntervalMs: number | null;
  /** the interval offline detection should use: the larger of the two, ms; null if neither known */
  intervalMs: number | null;
  /** latest measurement time seen, epoch ms */
  lastTs: number;
  /** latest arrival time seen, epoch ms */
  lastArrivedAt: number;
}

export class ReportIntervalLearner {
  private readonly opts: ReportIntervalOptions;
  private readonly devices = new Map<string, DeviceIntervalState>();

  constructor(options: Partial<ReportIntervalOptions> = {}) {
    this.opts = { ...REPORT_INTERVAL_DEFAULTS, ...options };
    validateIntervalOptions(this.opts);
  }

  /**
   * Records one reading. `ts` = measurement time from the device, `arrivedAt` = when the server got
   * it (both epoch ms). Re-delivered or older readings (ts ≤ last ts) teach nothing about the
   * interval but still count as the device being heard from.
   */
  observe(deviceId: string, ts: number, arrivedAt: number): ObservedReading {
    const state = this.devices.get(deviceId);
    // A broken timestamp must not poison the medians; the caller validated the payload already.
    if (!Number.isFinite(ts) || !Number.isFinite(arrivedAt)) {
      return { newBurst: false, previousArrivedAt: state?.lastArrivedAt ?? null };
    }
    if (!state) {
      this.devices.set(deviceId, {
        lastTs: ts,
        lastArrivedAt: arrivedAt,
        burstStartedAt: arrivedAt,
        measurementGaps: new GapRing(this.opts.historySize),
        arrivalGaps: new GapRing(this.opts.historySize),
        cached: null,
      });
      return { newBurst: true, previousArrivedAt: null };
    }
    const previousArrivedAt = state.lastArrivedAt;
    const arrivalGap = arrivedAt - previousArrivedAt;

    let newBurst = false;
    if (arrivedAt - state.burstStartedAt >= this.opts.burstWindowMs && arrivalGap >= 0) {
      // Gap between burst starts: a 500-reading backlog is one arrival, not 500.
      state.arrivalGaps.push(arrivedAt - state.burstStartedAt);
      state.cached = null;
      state.burstStartedAt = arrivedAt;
      newBurst = true;
    }

    const tsGap = ts - state.lastTs;
    if (tsGap > 0) {
      const compressed = arrivalGap < this.opts.compressedArrivalRatio * tsGap;
      if (tsGap >= this.opts.minGapMs && !compressed) {
        state.measurementGaps.push(tsGap);
        state.cached = null;
      }
      state.lastTs = ts;
    }
    state.lastArrivedAt = Math.max(state.lastArrivedAt, arrivedAt);
    return { newBurst, previousArrivedAt };
  }

  stats(deviceId: string): DeviceIntervalStats | null {
    const state = this.devices.get(deviceId);
    if (!state) return null;
    const enough = (ring: GapRing): number | null => (ring.count >= this.opts.minSamples ? ring.median() : null);
    state.cached ??= {
      measurementIntervalMs: enough(state.measurementGaps),
      arrivalIntervalMs: enough(state.arrivalGaps),
    };
    const { measurementIntervalMs, arrivalIntervalMs } = state.cached;
    const known = [measurementIntervalMs, arrivalIntervalMs].filter((v): v is number => v !== null);
    return {
      measurementIntervalMs,
      arrivalIntervalMs,
      intervalMs: known.length > 0 ? Math.max(...known) : null,
      lastTs: state.lastTs,
      lastArrivedAt: state.lastArrivedAt,
    };
  }

  /** The learned interval, ms, or null while too little history is known. */
  intervalMs(deviceId: string): number | null {
    return this.stats(deviceId)?.intervalMs ?? null;
  }

  /** Drops a device (decommissioned), freeing its memory. */
  forget(deviceId: string): void {
    this.devices.delete(deviceId);
  }

  get size(): number {
    return this.devices.size;
  }
}

function validateIntervalOptions(o: ReportIntervalOptions): void {
  for (const key of ['historySize', 'minSamples'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`${key}: must be an integer ≥ 1, got ${o[key]}`);
  }
  if (o.minSamples > o.historySize) {
    throw new RangeError(`minSamples: must be ≤ historySize (${o.historySize}), got ${o.minSamples}`);
  }
  for (const key of ['burstWindowMs', 'minGapMs'] as const) {
    if (!Number.isFinite(o[key]) || o[key] < 0) throw new RangeError(`${key}: must be a finite number ≥ 0, got ${o[key]}`);
  }
  if (!(o.compressedArrivalRatio >= 0 && o.compressedArrivalRatio <= 1)) {
    throw new RangeError(`compressedArrivalRatio: must be within 0..1, got ${o.compressedArrivalRatio}`);
  }
}
