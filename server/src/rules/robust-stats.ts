/**
 * Small robust estimators shared by the rule modules. Hand-written because the one we need most
 * (Theil–Sen) is not in `simple-statistics`, and a median is three lines.
 */

/** Median of finite numbers; NaN for an empty list. Does not mutate its input. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

export interface LineFit {
  /** value units per x unit */
  slope: number;
  /** value at x = 0 */
  intercept: number;
}

/**
 * Theil–Sen line: the median of all pairwise slopes, intercept = median(y − slope·x).
 * Tolerates up to ~29 % outliers, unlike least squares where one spike tilts the line.
 * O(n²) pairs, so callers cap n (see `maxPoints` in the forecast defaults).
 */
export function theilSen(xs: readonly number[], ys: readonly number[]): LineFit | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = xs[j]! - xs[i]!;
      if (dx !== 0) slopes.push((ys[j]! - ys[i]!) / dx);
    }
  }
  if (slopes.length === 0) return null;
  const slope = median(slopes);
  const intercept = median(Array.from({ length: n }, (_, i) => ys[i]! - slope * xs[i]!));
  return { slope, intercept };
}

/** Evenly spaced subsample of at most `max` items, always keeping the first and the last. */
export function evenSubsample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const out: T[] = [];
  const step = (items.length - 1) / (max - 1);
  for (let k = 0; k < max; k++) out.push(items[Math.round(k * step)]!);
  return out;
}
