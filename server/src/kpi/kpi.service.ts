import { Inject, Injectable } from '@nestjs/common';
import {
  KPI_MAX_BUCKETS,
  KPI_MAX_DAYS,
  TRAIL_MAX_DAYS,
  type KpiQuery,
  type KpiReport,
  type KpiTrend,
  type KpiTrendQuery,
  type TrailFix,
  type TrailQuery,
  type VehicleTrail,
} from '@sanitation/contracts';
import { SERVER_CONFIG, type ServerConfig } from '../config/server.config.js';
import { InfluxQueryClient, type InfluxSeries } from '../history/influx-query.client.js';
import { lightingRates, ratio, truckFigures, type LampReading, type TruckFix } from './kpi-figures.js';
import { KpiException, KpiExceptionCode } from './kpi.exception.js';
import { KpiRepository, type KpiScope } from './kpi.repository.js';

const DAY_MS = 86_400_000;
/** Most InfluxDB rows one KPI query reads (one query per figure per call); beyond it the figure is marked truncated. */
export const KPI_MAX_INFLUX_ROWS = 500_000;

/** Parsed [from, to) in ms; 400 naming the field when out of order or too long. */
export function period(from: string, to: string, maxDays: number): { fromMs: number; toMs: number } {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  if (!(fromMs < toMs)) throw KpiException.invalid('to', `must be after from (${from})`);
  if (toMs - fromMs > maxDays * DAY_MS) throw KpiException.invalid('to', `the period may span at most ${maxDays} days`);
  return { fromMs, toMs };
}

/** Rows of one series as objects keyed by column. */
function rows(series: InfluxSeries[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const s of series) {
    for (const v of s.values) {
      const row: Record<string, unknown> = {};
      s.columns.forEach((c, i) => (row[c] = v[i]));
      out.push(row);
    }
  }
  return out;
}

@Injectable()
export class KpiService {
  constructor(
    private readonly repo: KpiRepository,
    private readonly influx: InfluxQueryClient,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  async report(q: KpiQuery): Promise<KpiReport> {
    const { fromMs, toMs } = period(q.from, q.to, KPI_MAX_DAYS);
    const scope: KpiScope = { zone: q.zone, contractor: q.contractor };
    const from = new Date(fromMs);
    const to = new Date(toMs);
    const truncated: string[] = [];
    const [timely, septic, bins, integrity, response, lighting, trucks] = await Promise.all([
      this.repo.timeliness(from, to, scope),
      this.repo.timeliness(from, to, scope, 'pumping'),
      this.repo.binsBeforeOverflow(from, to, scope),
      this.repo.integrity(to, scope),
      this.repo.responseByType(from, to, scope),
      this.lighting(fromMs, toMs, scope, [fromMs], truncated),
      this.trucks(fromMs, toMs, scope, truncated),
    ]);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      zone: q.zone ?? null,
      contractor: q.contractor ?? null,
      faultTimeliness: ratio(timely.num, timely.den),
      septicWithinSla: ratio(septic.num, septic.den),
      binsBeforeOverflow: ratio(bins.num, bins.den),
      facilityIntegrity: ratio(integrity.num, integrity.den),
      lightingRate: lighting[0]!,
      responseByJobType: response,
      trucks,
      truncated,
    };
  }

  /** Timeliness, integrity (at each bucket's end) and lighting per day/week bucket from `from`. */
  async trend(q: KpiTrendQuery): Promise<KpiTrend> {
    const { fromMs, toMs } = period(q.from, q.to, KPI_MAX_DAYS);
    const step = q.bucket === 'week' ? 7 * DAY_MS : DAY_MS;
    const buckets = Math.ceil((toMs - fromMs) / step);
    if (buckets > KPI_MAX_BUCKETS) {
      throw KpiException.invalid('bucket', `${q.bucket} over this period gives ${buckets} buckets, more than ${KPI_MAX_BUCKETS}; use week or a shorter period`);
    }
    const starts = Array.from({ length: buckets }, (_, i) => fromMs + i * step);
    const scope: KpiScope = { zone: q.zone, contractor: q.contractor };
    const lighting = await this.lighting(fromMs, toMs, scope, starts, []);
    const points = await Promise.all(
      starts.map(async (start, i) => {
        const end = Math.min(start + step, toMs);
        const [timely, integrity] = await Promise.all([
          this.repo.timeliness(new Date(start), new Date(end), scope),
          this.repo.integrity(new Date(end), scope),
        ]);
        return {
          from: new Date(start).toISOString(),
          to: new Date(end).toISOString(),
          faultTimeliness: ratio(timely.num, timely.den),
          facilityIntegrity: ratio(integrity.num, integrity.den),
          lightingRate: lighting[i]!,
        };
      }),
    );
    return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), zone: q.zone ?? null, contractor: q.contractor ?? null, bucket: q.bucket, points };
  }

  async trail(vehicleId: string, q: TrailQuery): Promise<VehicleTrail> {
    const { fromMs, toMs } = period(q.from, q.to, TRAIL_MAX_DAYS);
    const vehicle = await this.repo.vehicle(vehicleId);
    if (!vehicle) throw new KpiException(KpiExceptionCode.VEHICLE_NOT_FOUND, `vehicle "${vehicleId}" not found`);
    const series = await this.influx.select(
      `SELECT lat, lon, speedKmh, headingDeg FROM ${this.influx.measurement('truck')} ` +
        `WHERE "deviceId" = ${InfluxQueryClient.literal(vehicle.deviceId)} AND time >= ${fromMs}ms AND time < ${toMs}ms LIMIT ${KPI_MAX_INFLUX_ROWS}`,
    );
    const fixes: TrailFix[] = [];
    for (const r of rows(series)) {
      if (typeof r.lat !== 'number' || typeof r.lon !== 'number') continue;
      fixes.push({
        ts: new Date(Number(r.time)).toISOString(),
        lat: r.lat,
        lon: r.lon,
        speedKmh: typeof r.speedKmh === 'number' ? r.speedKmh : null,
        headingDeg: typeof r.headingDeg === 'number' ? r.headingDeg : null,
      });
    }
    fixes.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    return { vehicleId: vehicle.vehicleId, deviceId: vehicle.deviceId, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), fixes };
  }

  /** One InfluxQL query over [from, to) (zone as the tag); capped at KPI_MAX_INFLUX_ROWS rows. */
  private async lighting(fromMs: number, toMs: number, scope: KpiScope, starts: number[], truncated: string[]) {
    const [places, series] = await Promise.all([
      this.repo.streetlights(scope),
      this.influx.select(
        `SELECT lampOn, powerW, deviceId FROM ${this.influx.measurement('streetlight')} ` +
          `WHERE time >= ${fromMs}ms AND time < ${toMs}ms${this.zoneTag(scope)} LIMIT ${KPI_MAX_INFLUX_ROWS + 1}`,
      ),
    ]);
    const all = rows(series);
    if (all.length > KPI_MAX_INFLUX_ROWS) truncated.push('lightingRate');
    const readings: LampReading[] = all
      .slice(0, KPI_MAX_INFLUX_ROWS)
      .map((r) => ({ ts: Number(r.time), deviceId: String(r.deviceId), lampOn: r.lampOn, powerW: r.powerW }));
    return lightingRates(readings, places, this.config.CITY_TIME_ZONE, starts);
  }

  private async trucks(fromMs: number, toMs: number, scope: KpiScope, truncated: string[]) {
    const [units, series] = await Promise.all([
      this.repo.vehicles(scope.contractor),
      this.influx.select(
        `SELECT lat, lon, speedKmh, ignition, deviceId FROM ${this.influx.measurement('truck')} ` +
          `WHERE time >= ${fromMs}ms AND time < ${toMs}ms${this.zoneTag(scope)} LIMIT ${KPI_MAX_INFLUX_ROWS + 1}`,
      ),
    ]);
    const all = rows(series);
    if (all.length > KPI_MAX_INFLUX_ROWS) truncated.push('trucks');
    const fixes: TruckFix[] = all
      .slice(0, KPI_MAX_INFLUX_ROWS)
      .map((r) => ({ ts: Number(r.time), deviceId: String(r.deviceId), lat: r.lat, lon: r.lon, speedKmh: r.speedKmh, ignition: r.ignition }));
    return truckFigures(fixes, units);
  }

  private zoneTag(scope: KpiScope): string {
    return scope.zone !== undefined ? ` AND "zone" = ${InfluxQueryClient.literal(scope.zone)}` : '';
  }
}
