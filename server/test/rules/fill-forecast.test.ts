import { describe, expect, it } from 'vitest';
import {
  BIN_FORECAST_DEFAULTS,
  SEPTIC_FORECAST_DEFAULTS,
  forecastFill,
  lastEmptyingIndex,
  shouldRaiseCollection,
  type LevelReading,
} from '../../src/rules/forecast/fill-forecast.js';
import { seededRandom } from './seeded-random.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 27, 0, 0, 0);

/** Readings every `stepMs` from `from` to `to` (inclusive) following `level(t)`. */
function series(from: number, to: number, stepMs: number, level: (t: number) => number): LevelReading[] {
  const out: LevelReading[] = [];
  for (let t = from; t <= to; t += stepMs) out.push({ ts: t, value: level(t) });
  return out;
}

describe('forecastFill', () => {
  it('linear fill: 2 %/h from 10 % reaches 90 % after 40 h', () => {
    const now = T0 + 10 * HOUR;
    const readings = series(T0, now, 15 * MIN, (t) => 10 + (2 * (t - T0)) / HOUR);
    const f = forecastFill({ readings, thresholdPct: 90, now });
    expect(f.reason).toBe('ok');
    expect(f.ratePctPerH).toBeCloseTo(2, 6);
    expect(f.levelNowPct).toBeCloseTo(30, 6);
    expect(f.predictedFullAt).toBe(T0 + 40 * HOUR);
  });

  it('accepts unsorted input with duplicate readings', () => {
    const now = T0 + 10 * HOUR;
    const base = series(T0, now, 15 * MIN, (t) => 10 + (2 * (t - T0)) / HOUR);
    const shuffled = [...base, ...base.slice(5, 15)].reverse();
    const f = forecastFill({ readings: shuffled, thresholdPct: 90, now });
    expect(f.pointsUsed).toBe(base.length);
    expect(f.predictedFullAt).toBe(T0 + 40 * HOUR);
  });

  it('after an emptying only the readings since then count', () => {
    // Filled fast (5 %/h) to 80 %, emptied at 16 h, now fills slowly (1 %/h) from 5 %.
    const emptiedAt = T0 + 16 * HOUR;
    const now = emptiedAt + 6 * HOUR;
    const before = series(T0, emptiedAt - 15 * MIN, 15 * MIN, (t) => Math.min(80, (5 * (t - T0)) / HOUR));
    const after = series(emptiedAt, now, 15 * MIN, (t) => 5 + (t - emptiedAt) / HOUR);
    const f = forecastFill({ readings: [...before, ...after], thresholdPct: 90, now });
    expect(f.seriesStartTs).toBe(emptiedAt);
    expect(f.pointsUsed).toBe(after.length);
    expect(f.ratePctPerH).toBeCloseTo(1, 6);
    expect(f.predictedFullAt).toBe(now + 79 * HOUR); // from 11 % to 90 % at 1 %/h
  });

  it('glitch readings (up to two in a row, up or down) are not an emptying', () => {
    // (at most two glitches among any five consecutive readings)
    const values = [40, 41, 42, 3, 43, 44, 45, 46, 98, 47, 48, 49, 50, 100, 100, 51, 52, 53, 54, 2, 2, 55, 56, 57];
    const readings = values.map((value, i) => ({ ts: T0 + i * HOUR, value }));
    expect(lastEmptyingIndex(readings, BIN_FORECAST_DEFAULTS.emptyingDropPct)).toBe(0);
    // a real emptying after them is still found
    const emptied = [...values, 4, 5, 6].map((value, i) => ({ ts: T0 + i * HOUR, value }));
    expect(lastEmptyingIndex(emptied, BIN_FORECAST_DEFAULTS.emptyingDropPct)).toBe(values.length);
  });

  it('noisy data with outliers: slope within tolerance', () => {
    const rnd = seededRandom(42);
    const now = T0 + 20 * HOUR;
    const readings = series(T0, now, 10 * MIN, (t) => {
      const clean = 5 + (1.5 * (t - T0)) / HOUR;
      const noise = (rnd() - 0.5) * 6; // ±3 points of sensor noise
      // 12 % wild readings: an ultrasonic echo off a bag near the sensor reads "full". These bias a
      // least-squares slope downwards (they sit far above the early readings); Theil–Sen ignores them.
      if (rnd() < 0.12) return 100;
      return Math.max(0, Math.min(100, clean + noise));
    });
    const f = forecastFill({ readings, thresholdPct: 90, now });
    expect(f.reason).toBe('ok');
    expect(f.ratePctPerH!).toBeGreaterThan(1.35);
    expect(f.ratePctPerH!).toBeLessThan(1.65);
    // true ETA: from 35 % at 1.5 %/h to 90 % = 36.7 h; allow ±15 %
    const eta = (f.predictedFullAt! - now) / HOUR;
    expect(eta).toBeGreaterThan(31);
    expect(eta).toBeLessThan(42);
  });

  it('flat readings → no ETA, reason flat-or-falling', () => {
    const now = T0 + 12 * HOUR;
    const f = forecastFill({ readings: series(T0, now, 15 * MIN, () => 37), thresholdPct: 90, now });
    expect(f.predictedFullAt).toBeNull();
    expect(f.reason).toBe('flat-or-falling');
    expect(f.ratePctPerH).toBeCloseTo(0, 6);
  });

  it('falling readings (evaporation, compaction) → no ETA', () => {
    const now = T0 + 12 * HOUR;
    const f = forecastFill({ readings: series(T0, now, 15 * MIN, (t) => 60 - (t - T0) / HOUR), thresholdPct: 90, now });
    expect(f.predictedFullAt).toBeNull();
    expect(f.reason).toBe('flat-or-falling');
  });

  it('too few points or too short a span → null with a reason', () => {
    const now = T0 + HOUR;
    expect(forecastFill({ readings: [], thresholdPct: 90, now }).reason).toBe('no-readings');
    const three = series(T0, T0 + 2 * HOUR, HOUR, (t) => 10 + (t - T0) / HOUR);
    expect(forecastFill({ readings: three, thresholdPct: 90, now: T0 + 2 * HOUR }).reason).toBe('too-few-points');
    const quick = series(T0, T0 + 10 * MIN, MIN, (t) => 10 + (t - T0) / MIN);
    const f = forecastFill({ readings: quick, thresholdPct: 90, now: T0 + 10 * MIN });
    expect(f.reason).toBe('span-too-short');
    expect(f.predictedFullAt).toBeNull();
  });

  it('non-finite readings and readings from the future are skipped, bad configuration is named', () => {
    const now = T0 + 10 * HOUR;
    const good = series(T0, now, 15 * MIN, (t) => 10 + (2 * (t - T0)) / HOUR);
    const bad = [{ ts: T0 + 7, value: Number.NaN }, { ts: Number.NaN, value: 50 }, { ts: now + HOUR, value: 99 }];
    const f = forecastFill({ readings: [...good, ...bad], thresholdPct: 90, now });
    expect(f.pointsUsed).toBe(good.length);
    expect(f.predictedFullAt).toBe(T0 + 40 * HOUR);
    expect(() => forecastFill({ readings: good, thresholdPct: 0, now })).toThrow(/thresholdPct/);
    expect(() => forecastFill({ readings: good, thresholdPct: 90, now, options: { minPoints: 1 } })).toThrow(/minPoints/);
    expect(() => forecastFill({ readings: good, thresholdPct: 90, now, options: { windowMs: -1 } })).toThrow(/windowMs/);
  });

  it('readings older than the window are ignored', () => {
    const now = T0 + 3 * DAY;
    const old = series(T0, T0 + DAY, 15 * MIN, (t) => 10 + (t - T0) / HOUR); // outside the 24 h window
    const f = forecastFill({ readings: old, thresholdPct: 90, now });
    expect(f.reason).toBe('no-readings');
  });

  it('already over the threshold → predictedFullAt = now', () => {
    const now = T0 + 10 * HOUR;
    const f = forecastFill({ readings: series(T0, now, 15 * MIN, (t) => 50 + (5 * (t - T0)) / HOUR), thresholdPct: 90, now });
    expect(f.reason).toBe('already-full');
    expect(f.predictedFullAt).toBe(now);
  });

  it('daily cycle: the 24 h window gives the day-average rate, not the meal-time peak', () => {
    // 24 %/day on average, but 3× faster 11–13 h and 18–20 h, almost nothing at night.
    const rateAt = (t: number): number => {
      const h = new Date(t).getUTCHours();
      if ((h >= 11 && h < 13) || (h >= 18 && h < 20)) return 3; // %/h at meals
      if (h < 6) return 0.25; // %/h at night
      return (24 - 4 * 3 - 6 * 0.25) / 14; // %/h the rest of the day, so a day adds 24 %
    };
    const readings: LevelReading[] = [];
    let level = 5;
    for (let t = T0; t <= T0 + 36 * HOUR; t += 15 * MIN) {
      readings.push({ ts: t, value: level });
      level += rateAt(t) / 4;
    }
    const now = T0 + 36 * HOUR; // at noon, inside a meal-time peak
    const f = forecastFill({ readings, thresholdPct: 90, now });
    expect(f.ratePctPerH!).toBeGreaterThan(0.7);
    expect(f.ratePctPerH!).toBeLessThan(1.3); // day average is 1 %/h; the peak alone would be 3
  });

  it('septic tank: slow rise over days (3 %/day) with septic defaults', () => {
    const rnd = seededRandom(7);
    const now = T0 + 6 * DAY;
    const readings = series(T0, now, 2 * HOUR, (t) => 20 + (3 * (t - T0)) / DAY + (rnd() - 0.5) * 1.5);
    const f = forecastFill({ readings, thresholdPct: 85, now, options: SEPTIC_FORECAST_DEFAULTS });
    expect(f.reason).toBe('ok');
    expect(f.ratePctPerH! * 24).toBeGreaterThan(2.7);
    expect(f.ratePctPerH! * 24).toBeLessThan(3.3);
    // 38 % now, 47 points to go at 3 %/day ≈ 15.7 days
    const days = (f.predictedFullAt! - now) / DAY;
    expect(days).toBeGreaterThan(14);
    expect(days).toBeLessThan(17.5);
    expect(f.confidence).toBe('high');
    // the bin defaults look back only 24 h; the septic window uses the whole week
    expect(forecastFill({ readings, thresholdPct: 85, now }).pointsUsed).toBeLessThan(f.pointsUsed);
  });

  it('septic pump-out resets the series', () => {
    const pumpedAt = T0 + 4 * DAY;
    const now = pumpedAt + 2 * DAY;
    const readings = [
      ...series(T0, pumpedAt - HOUR, 2 * HOUR, (t) => 60 + (3 * (t - T0)) / DAY),
      ...series(pumpedAt, now, 2 * HOUR, (t) => 8 + (2 * (t - pumpedAt)) / DAY),
    ];
    const f = forecastFill({ readings, thresholdPct: 85, now, options: SEPTIC_FORECAST_DEFAULTS });
    expect(f.seriesStartTs).toBe(pumpedAt);
    expect(f.ratePctPerH! * 24).toBeCloseTo(2, 6);
  });
});

describe('shouldRaiseCollection', () => {
  const now = T0 + 10 * HOUR;
  const readings = series(T0, now, 15 * MIN, (t) => 10 + (2 * (t - T0)) / HOUR); // full at T0 + 40 h
  const forecast = forecastFill({ readings, thresholdPct: 90, now });

  it('raises when the bin would be full before a truck can get there', () => {
    expect(shouldRaiseCollection({ forecast, now, leadTimeMs: 31 * HOUR })).toBe(true);
    expect(shouldRaiseCollection({ forecast, now, leadTimeMs: 30 * HOUR })).toBe(true); // full exactly on arrival
  });

  it('does not raise while there is time left', () => {
    expect(shouldRaiseCollection({ forecast, now, leadTimeMs: 4 * HOUR })).toBe(false);
  });

  it('never raises on a null forecast', () => {
    const flat = forecastFill({ readings: series(T0, now, 15 * MIN, () => 30), thresholdPct: 90, now });
    expect(shouldRaiseCollection({ forecast: flat, now, leadTimeMs: 365 * DAY })).toBe(false);
  });

  it('simulated day: the job is raised early enough that the bin is emptied before it overflows', () => {
    // Bin fills 3 %/h; a truck needs 4 h. Evaluated every 15 min like the scheduler would, so the
    // lead time must also cover one evaluation period.
    const truckMs = 4 * HOUR;
    const evalPeriodMs = 15 * MIN;
    const leadTimeMs = truckMs + evalPeriodMs;
    const level = (t: number): number => 5 + (3 * (t - T0)) / HOUR; // reaches 90 % at T0 + 28.33 h
    const fullAt = T0 + (85 / 3) * HOUR;
    const seen: LevelReading[] = [];
    let raisedAt: number | null = null;
    for (let t = T0; t <= T0 + 40 * HOUR && raisedAt === null; t += evalPeriodMs) {
      seen.push({ ts: t, value: level(t) });
      const f = forecastFill({ readings: seen, thresholdPct: 90, now: t });
      if (shouldRaiseCollection({ forecast: f, now: t, leadTimeMs })) raisedAt = t;
    }
    expect(raisedAt).not.toBeNull();
    expect(raisedAt! + truckMs).toBeLessThanOrEqual(fullAt);
    expect(raisedAt!).toBeGreaterThan(fullAt - leadTimeMs - evalPeriodMs); // not absurdly early either
  });
});
