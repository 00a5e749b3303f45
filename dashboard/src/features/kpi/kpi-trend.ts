import type { KpiTrend } from '@sanitation/contracts';
import { TREND_KEYS, type TrendKey } from './kpi-format';

/**
 * uPlot's AlignedData for the trend: x = bucket start in seconds (uPlot's time unit), one series
 * per figure as a percentage; a bucket with nothing counted is null (a gap, not a dip to 0).
 */
export function trendData(trend: KpiTrend, keys: readonly TrendKey[] = TREND_KEYS): [number[], ...(number | null)[][]] {
  const xs = trend.points.map((p) => Date.parse(p.from) / 1000);
  const series = keys.map((k) => trend.points.map((p) => (p[k].rate === null ? null : Math.round(p[k].rate * 10000) / 100)));
  return [xs, ...series];
}

/** Colours per figure, fixed so the legend matches the cards. */
export const TREND_COLOURS: Record<TrendKey, string> = {
  faultTimeliness: '#f0883e',
  facilityIntegrity: '#2ea043',
  lightingRate: '#e3b341',
};
