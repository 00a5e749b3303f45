/**
 * Time-to-full forecast for bins (fillPct) and septic tanks (levelPct) from one device's recent
 * readings. Pure: time comes in as `now` (epoch ms), so a simulated week runs in milliseconds.
 *
 * Steps: clean (finite values, de-duplicate ts, sort) → cut the window → keep only readings since the
 * last emptying → Theil–Sen slope (robust to spikes) → level at `now` → ETA to the threshold.
 */
import { evenSubsample, median, medianAbsoluteDeviation, theilSen } from '../robust-stats.js';

const HOUR_MS = 3_600_000;

export interface LevelReading {
  /** measurement time, epoch ms */
  ts: number;
  /** fill or level, percent 0..100 */
  value: number;
}

export interface FillForecastOptions {
  /**
   * Look-back window, ms. Bins fill faster at meal times and barely at night; a 24 h window spans one
   * whole daily cycle so the slope is the day's average rate rather than the lunchtime peak (which
   * would raise jobs far too early) or the night lull (far too late). Since the series is cut at the
   * last emptying, a bin emptied a few hours ago still sees only part of the cycle: its confidence
   * stays below 'high' until `highConfidenceSpanMs` is covered.
   */
  windowMs: number;
  /** fewest readings since the emptying to fit a slope at all */
  minPoints: number;
  /** shortest time span of those readings, ms; two readings a minute apart say nothing about a day */
  minSpanMs: number;
  /** drop in percentage points (median before vs. median after) that counts as an emptying/pump-out */
  emptyingDropPct: number;
  /** slopes below this, %/h, count as flat: no ETA (avoids "full in 3 years") */
  minRatePctPerH: number;
  /** cap on points fed to the O(n²) Theil–Sen fit; more are evenly subsampled */
  maxPoints: number;
  /** residual MAD (percentage points) up to which the fit counts as clean */
  cleanResidualPct: number;
  /** span, ms, of readings needed for 'high' confidence */
  highConfidenceSpanMs: number;
}

/** Bins: one daily cycle. */
export const BIN_FORECAST_DEFAULTS: Readonly<FillForecastOptions> = Object.freeze({
  windowMs: 24 * HOUR_MS, // 24 h: one daily cycle of meal-time peaks
  minPoints: 4, // readings
  minSpanMs: 1 * HOUR_MS, // 1 h
  emptyingDropPct: 25, // percentage points
  minRatePctPerH: 0.05, // %/h, i.e. 1.2 %/day
  maxPoints: 300, // points (≈ 45k pairs)
  cleanResidualPct: 3, // percentage points
  highConfidenceSpanMs: 12 * HOUR_MS, // 12 h
});

/** Septic tanks rise a few percent a day: a week of history, a slower "flat". */
export const SEPTIC_FORECAST_DEFAULTS: Readonly<FillForecastOptions> = Object.freeze({
  ...BIN_FORECAST_DEFAULTS,
  windowMs: 7 * 24 * HOUR_MS, // 7 days
  minSpanMs: 12 * HOUR_MS, // 12 h
  emptyingDropPct: 20, // percentage points (a pump-out)
  minRatePctPerH: 0.01, // %/h, i.e. 0.24 %/day
  highConfidenceSpanMs: 2 * 24 * HOUR_MS, // 2 days
});

export type ForecastReason =
  | 'ok' // rising, ETA computed
  | 'already-full' // the fitted level is at/over the threshold now
  | 'no-readings'
  | 'too-few-points' // fewer than minPoints since the last emptying (or in the window)
  | 'span-too-short' // readings cover less than minSpanMs
  | 'flat-or-falling'; // slope below minRatePctPerH

export type ForecastConfidence = 'high' | 'medium' | 'low' | 'none';

export interface FillForecast {
  /** fitted rate, percent per hour; null when it could not be fitted */
  ratePctPerH: number | null;
  /** when the fitted line reaches the threshold, epoch ms; null when no rise is forecast */
  predictedFullAt: number | null;
  /** fitted level at `now`, percent; null when not fitted */
  levelNowPct: number | null;
  confidence: ForecastConfidence;
  reason: ForecastReason;
  /** readings used in the fit (after window, emptying cut and de-duplication) */
  pointsUsed: number;
  /** ts of the first reading used, e.g. the first one after the last emptying; null if none */
  seriesStartTs: number | null;
}

export interface FillForecastInput {
  readings: readonly LevelReading[];
  /** percent at which the bin/tank counts as full, e.g. 90 */
  thresholdPct: number;
  /** epoch ms */
  now: number;
  options?: Partial<FillForecastOptions>;
}

/** Finite values, ts ≤ now, one reading per ts (re-deliveries repeat a ts), sorted by ts. */
export function cleanReadings(readings: readonly LevelReading[], now: number): LevelReading[] {
  const byTs = new Map<number, number>();
  for (const r of readings) {
    if (!Number.isFinite(r.ts) || !Number.isFinite(r.value) || r.ts > now) continue;
    if (!byTs.has(r.ts)) byTs.set(r.ts, r.value);
  }
  return [...byTs].sort((a, b) => a[0] - b[0]).map(([ts, value]) => ({ ts, value }));
}

/**
 * Index of the first reading after the last emptying in a sorted series (0 if none).
 * A drop is judged median-to-median (up to 5 readings before, within the current segment, vs. this
 * and up to 4 after), so runs of up to two glitch readings, high or low, do not look like an emptying.
 * Limitation: a low reading among the last two is taken as an emptying until more readings arrive.
 */
export function lastEmptyingIndex(sorted: readonly LevelReading[], dropPct: number): number {
  const side = 5; // readings per side of the median comparison
  let start = 0;
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted.slice(Math.max(start, i - side), i).map((r) => r.value);
    const after = sorted.slice(i, i + side).map((r) => r.value);
    if (before.length > 0 && median(before) - median(after) >= dropPct) start = i;
  }
  return start;
}

export function forecastFill(input: FillForecastInput): FillForecast {
  const opts: FillForecastOptions = { ...BIN_FORECAST_DEFAULTS, ...input.options };
  const { thresholdPct, now } = input;
  validateForecastInput(thresholdPct, now, opts);
  const empty = (reason: ForecastReason, used: LevelReading[]): FillForecast => ({
    ratePctPerH: null,
    predictedFullAt: null,
    levelNowPct: null,
    confidence: 'none',
    reason,
    pointsUsed: used.length,
    seriesStartTs: used[0]?.ts ?? null,
  });

  const inWindow = cleanReadings(input.readings, now).filter((r) => r.ts >= now - opts.windowMs);
  if (inWindow.length === 0) return empty('no-readings', inWindow);
  const series = inWindow.slice(lastEmptyingIndex(inWindow, opts.emptyingDropPct));
  if (series.length < opts.minPoints) return empty('too-few-points', series);
  const span = series[series.length - 1]!.ts - series[0]!.ts;
  if (span < opts.minSpanMs) return empty('span-too-short', series);

  // Fit in hours relative to `now` so the intercept is the level now and numbers stay small.
  const fitted = evenSubsample(series, opts.maxPoints);
  const xs = fitted.map((r) => (r.ts - now) / HOUR_MS);
  const ys = fitted.map((r) => r.value);
  const line = theilSen(xs, ys);
  if (!line) return empty('too-few-points', series);
  const rate = line.slope;
  const levelNow = line.intercept;
  const residualMad = medianAbsoluteDeviation(xs.map((x, i) => ys[i]! - (line.intercept + line.slope * x)));
  const confidence = rateConfidence(series.length, span, residualMad, opts);
  const base = { ratePctPerH: rate, levelNowPct: levelNow, pointsUsed: series.length, seriesStartTs: series[0]!.ts };

  if (levelNow >= thresholdPct) {
    return { ...base, predictedFullAt: now, confidence, reason: 'already-full' };
  }
  if (rate < opts.minRatePctPerH) {
    return { ...base, predictedFullAt: null, confidence, reason: 'flat-or-falling' };
  }
  const hoursToFull = (thresholdPct - levelNow) / rate;
  return { ...base, predictedFullAt: Math.round(now + hoursToFull * HOUR_MS), confidence, reason: 'ok' };
}

/** Thresholds and options come from rule configuration: a bad one is a bug to name, not to guess. */
function validateForecastInput(thresholdPct: number, now: number, o: FillForecastOptions): void {
  if (!(thresholdPct > 0 && thresholdPct <= 100)) throw new RangeError(`thresholdPct: must be in (0, 100], got ${thresholdPct}`);
  if (!Number.isFinite(now)) throw new RangeError(`now: must be epoch ms, got ${now}`);
  const positive = ['windowMs', 'emptyingDropPct', 'cleanResidualPct'] as const;
  for (const key of positive) {
    if (!(Number.isFinite(o[key]) && o[key] > 0)) throw new RangeError(`${key}: must be a positive number, got ${o[key]}`);
  }
  for (const key of ['minSpanMs', 'minRatePctPerH', 'highConfidenceSpanMs'] as const) {
    if (!(Number.isFinite(o[key]) && o[key] >= 0)) throw new RangeError(`${key}: must be a finite number ≥ 0, got ${o[key]}`);
  }
  if (!(Number.isInteger(o.minPoints) && o.minPoints >= 2)) throw new RangeError(`minPoints: must be an integer ≥ 2, got ${o.minPoints}`);
  if (!(Number.isInteger(o.maxPoints) && o.maxPoints >= o.minPoints)) {
    throw new RangeError(`maxPoints: must be an integer ≥ minPoints (${o.minPoints}), got ${o.maxPoints}`);
  }
}

function rateConfidence(
  points: number,
  spanMs: number,
  residualMadPct: number,
  opts: FillForecastOptions,
): ForecastConfidence {
  if (points >= 3 * opts.minPoints && spanMs >= opts.highConfidenceSpanMs && residualMadPct <= opts.cleanResidualPct) {
    return 'high';
  }
  if (residualMadPct <= 2 * opts.cleanResidualPct) return 'medium';
  return 'low';
}

export interface ShouldRaiseCollectionInput {
  forecast: FillForecast;
  /** epoch ms */
  now: number;
  /**
   * time a truck/tanker needs from the job being raised to the bin being emptied, ms. Add the
   * evaluation period of the caller (scheduler tick or reading interval): the check runs only that
   * often, so without it the job can be raised up to one period too late.
   */
  leadTimeMs: number;
}

/**
 * True when the forecast says the bin/tank is full before `now + leadTimeMs`, i.e. raising the job
 * any later would let it overflow first. The reactive rule (level ≥ threshold) stays separate;
 * 'already-full' here also answers true so a caller using only the forecast misses nothing.
 */
export function shouldRaiseCollection({ forecast, now, leadTimeMs }: ShouldRaiseCollectionInput): boolean {
  if (forecast.predictedFullAt === null) return false;
  return forecast.predictedFullAt <= now + leadTimeMs;
}
