import { z } from 'zod';

/**
 * The KPI cockpit (驾驶舱): the figures the department is judged on, for a zone/contractor and a
 * period [from, to). Every figure is a ratio with its numerator and denominator; `rate` is null
 * when nothing counted (denominator 0), never 0/0 = NaN.
 */

/** Longest period of GET /api/kpi, days. */
export const KPI_MAX_DAYS = 366;
/** Most buckets of GET /api/kpi/trend. */
export const KPI_MAX_BUCKETS = 92;
/** Longest range of GET /api/vehicles/:id/trail, days. */
export const TRAIL_MAX_DAYS = 7;

const iso = z.iso.datetime({
  offset: true,
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be an ISO 8601 date-time, e.g. 2026-11-27T08:00:00Z'),
});

export const kpiQuerySchema = z.object({
  from: iso,
  to: iso,
  zone: z.string().min(1).max(64).optional(),
  contractor: z.string().min(1).max(64).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export type KpiQuery = z.output<typeof kpiQuerySchema>;

export const kpiTrendQuerySchema = kpiQuerySchema.extend({ bucket: z.enum(['day', 'week']).default('day') });
export type KpiTrendQuery = z.output<typeof kpiTrendQuerySchema>;

export const trailQuerySchema = z.object({ from: iso, to: iso, format: z.enum(['json', 'csv']).default('json') });
export type TrailQuery = z.output<typeof trailQuerySchema>;

export interface KpiRatio {
  numerator: number;
  denominator: number;
  /** numerator / denominator, null when the denominator is 0. */
  rate: number | null;
}

export interface KpiResponseTime {
  type: string;
  /** Jobs created in the period that reached on_site or done. */
  count: number;
  /** Mean minutes from creation to the first on_site (or done when never on site); null when count is 0. */
  avgMinutes: number | null;
}

export interface KpiTruck {
  vehicleId: string;
  deviceId: string;
  name: string;
  distanceKm: number;
  fixes: number;
  /** Fixes with ignition on and speed > 0. */
  movingFixes: number;
  /** Share of the period's fixes with ignition on and speed > 0; null without fixes. */
  utilisation: number | null;
}

export interface KpiReport {
  from: string;
  to: string;
  zone: string | null;
  contractor: string | null;
  faultTimeliness: KpiRatio;
  septicWithinSla: KpiRatio;
  binsBeforeOverflow: KpiRatio;
  facilityIntegrity: KpiRatio;
  lightingRate: KpiRatio;
  responseByJobType: KpiResponseTime[];
  trucks: KpiTruck[];
  /** Set when InfluxDB rows were capped (lighting/trucks then cover only the first rows). */
  truncated: string[];
}

export interface KpiTrendPoint {
  from: string;
  to: string;
  faultTimeliness: KpiRatio;
  facilityIntegrity: KpiRatio;
  lightingRate: KpiRatio;
}

export interface KpiTrend {
  from: string;
  to: string;
  zone: string | null;
  contractor: string | null;
  bucket: 'day' | 'week';
  points: KpiTrendPoint[];
}

export interface TrailFix {
  ts: string;
  lat: number;
  lon: number;
  speedKmh: number | null;
  headingDeg: number | null;
}

export interface VehicleTrail {
  vehicleId: string;
  deviceId: string;
  from: string;
  to: string;
  fixes: TrailFix[];
}
