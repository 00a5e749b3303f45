import type { KpiRatio, KpiReport } from '@sanitation/contracts';

/** The ratio figures of a KpiReport, in the cockpit's order (keys exactly as in contracts/src/api/kpi.ts). */
export const KPI_KEYS = ['lightingRate', 'facilityIntegrity', 'faultTimeliness', 'binsBeforeOverflow', 'septicWithinSla'] as const;
export type KpiKey = (typeof KPI_KEYS)[number];
/** The figures GET /api/kpi/trend carries per bucket. */
export const TREND_KEYS = ['faultTimeliness', 'facilityIntegrity', 'lightingRate'] as const;
export type TrendKey = (typeof TREND_KEYS)[number];

export const NO_VALUE = '—';

/** 0.9567 → "95.7%"; null (nothing counted) → "—", never "0%" or "NaN%". */
export function formatPercent(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return NO_VALUE;
  return `${(rate * 100).toFixed(digits)}%`;
}

/** "45 / 47" (the counts behind the rate). */
export function formatFraction(r: Pick<KpiRatio, 'numerator' | 'denominator'>): string {
  return `${r.numerator} / ${r.denominator}`;
}

/** Mean minutes → "42 min" / "1 h 05 min"; null → "—". */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return NO_VALUE;
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatKm(km: number | null | undefined): string {
  if (km === null || km === undefined || !Number.isFinite(km)) return NO_VALUE;
  return `${km.toFixed(1)} km`;
}

/** data-rate: the API's number as it was returned (String keeps every digit), empty when null. */
export function rateAttribute(rate: number | null): string {
  return rate === null ? '' : String(rate);
}

/** Card tone for a wall screen: good ≥ 95 %, warn ≥ 85 %, bad below, none without data. */
export function rateTone(rate: number | null): 'good' | 'warn' | 'bad' | 'none' {
  if (rate === null) return 'none';
  if (rate >= 0.95) return 'good';
  if (rate >= 0.85) return 'warn';
  return 'bad';
}

export function cardsOf(report: KpiReport): { key: KpiKey; ratio: KpiRatio }[] {
  return KPI_KEYS.map((key) => ({ key, ratio: report[key] }));
}
