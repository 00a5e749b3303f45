import type { KpiRatio, KpiReport, KpiTrend, VehicleTrail } from '@sanitation/contracts';
import { toCsv } from './csv.js';

/** The CSV tables of the KPI routes: one header row each. */

const RATIOS = ['faultTimeliness', 'septicWithinSla', 'binsBeforeOverflow', 'facilityIntegrity', 'lightingRate'] as const;

/** Long format: `figure,subject,numerator,denominator,value` (value = rate, mean minutes or km). */
export function reportCsv(r: KpiReport): string {
  const rows: unknown[][] = [];
  for (const f of RATIOS) rows.push([f, '', r[f].numerator, r[f].denominator, r[f].rate]);
  for (const t of r.responseByJobType) rows.push(['responseMinutes', t.type, t.count, '', t.avgMinutes]);
  for (const t of r.trucks) {
    rows.push(['truckDistanceKm', t.vehicleId, '', '', t.distanceKm]);
    rows.push(['truckUtilisation', t.vehicleId, t.movingFixes, t.fixes, t.utilisation]);
  }
  return toCsv(['figure', 'subject', 'numerator', 'denominator', 'value'], rows);
}

const TREND = ['faultTimeliness', 'facilityIntegrity', 'lightingRate'] as const;

export function trendCsv(t: KpiTrend): string {
  const header = ['from', 'to', ...TREND.flatMap((f) => [`${f}Numerator`, `${f}Denominator`, `${f}Rate`])];
  return toCsv(
    header,
    t.points.map((p) => [p.from, p.to, ...TREND.flatMap((f) => cells(p[f]))]),
  );
}

function cells(r: KpiRatio): unknown[] {
  return [r.numerator, r.denominator, r.rate];
}

export function trailCsv(t: VehicleTrail): string {
  return toCsv(['ts', 'lat', 'lon', 'speedKmh', 'headingDeg'], t.fixes.map((f) => [f.ts, f.lat, f.lon, f.speedKmh, f.headingDeg]));
}
