import { Inject, Injectable } from '@nestjs/common';
import type { KpiResponseTime } from '@sanitation/contracts';
import { DATABASE, type Database, type SqlParam } from '../database/database.js';

/** Alarm causes that are service demand (full, visits, consumables, odour), not a broken facility. */
export const NON_FAULT_CAUSES = ['bin-full', 'bin-forecast-full', 'septic-full', 'septic-forecast-full', 'toilet-visits', 'toilet-consumables', 'toilet-odour'] as const;

export interface KpiScope {
  zone?: string;
  contractor?: string;
}

interface Counts {
  num: number;
  den: number;
}

/** SQL for the figures that live in PostgreSQL (jobs, job_events, alarms, devices). */
@Injectable()
export class KpiRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** `AND zone = $n AND contractor = $m` for jobs (which carry both). */
  private jobScope(scope: KpiScope, params: SqlParam[]): string {
    let sql = '';
    if (scope.zone !== undefined) {
      params.push(scope.zone);
      sql += ` AND zone = $${params.length}`;
    }
    if (scope.contractor !== undefined) {
      params.push(scope.contractor);
      sql += ` AND contractor = $${params.length}`;
    }
    return sql;
  }

  /** Devices carry a zone; their contractor is their zone's. */
  private deviceScope(scope: KpiScope, params: SqlParam[]): string {
    let sql = '';
    if (scope.zone !== undefined) {
      params.push(scope.zone);
      sql += ` AND d.zone = $${params.length}`;
    }
    if (scope.contractor !== undefined) {
      params.push(scope.contractor);
      sql += ` AND d.zone IN (SELECT id FROM zones WHERE contractor = $${params.length})`;
    }
    return sql;
  }

  /** Jobs due in [from, to), not cancelled; numerator: done with completed_at ≤ due_at. */
  async timeliness(from: Date, to: Date, scope: KpiScope, type?: string): Promise<Counts> {
    const params: SqlParam[] = [from, to];
    let where = `due_at >= $1 AND due_at < $2 AND status <> 'cancelled'`;
    if (type) {
      params.push(type);
      where += ` AND type = $${params.length}`;
    }
    where += this.jobScope(scope, params);
    return this.counts(
      `SELECT count(*) FILTER (WHERE status = 'done' AND completed_at <= due_at)::int AS num, count(*)::int AS den FROM jobs WHERE ${where}`,
      params,
    );
  }

  /** Collection jobs completed in [from, to); numerator: proof.levelBefore < 100, or on time without a level. */
  async binsBeforeOverflow(from: Date, to: Date, scope: KpiScope): Promise<Counts> {
    const params: SqlParam[] = [from, to];
    const where = `type = 'collection' AND status = 'done' AND completed_at >= $1 AND completed_at < $2` + this.jobScope(scope, params);
    return this.counts(
      `SELECT count(*) FILTER (WHERE CASE WHEN proof->>'levelBefore' IS NOT NULL THEN (proof->>'levelBefore')::double precision < 100
                                          ELSE completed_at <= due_at END)::int AS num,
              count(*)::int AS den
         FROM jobs WHERE ${where}`,
      params,
    );
  }

  /** Devices (not trucks, not revoked) without an unresolved fault alarm at `at`. */
  async integrity(at: Date, scope: KpiScope): Promise<Counts> {
    const params: SqlParam[] = [at, [...NON_FAULT_CAUSES]];
    const where = `d.kind <> 'truck' AND d.status = 'active'` + this.deviceScope(scope, params);
    return this.counts(
      `SELECT count(*) FILTER (WHERE NOT EXISTS (
                SELECT 1 FROM alarms a
                 WHERE a.subject_id = d.id AND a.opened_at <= $1 AND (a.resolved_at IS NULL OR a.resolved_at > $1)
                   AND NOT (a.cause = ANY ($2::text[]))))::int AS num,
              count(*)::int AS den
         FROM devices d WHERE ${where}`,
      params,
    );
  }

  /** Jobs created in [from, to) that reached on_site or done: mean minutes to the first on_site, else to done. */
  async responseByType(from: Date, to: Date, scope: KpiScope): Promise<KpiResponseTime[]> {
    const params: SqlParam[] = [from, to];
    const where = `created_at >= $1 AND created_at < $2` + this.jobScope(scope, params);
    const rows = await this.db.query<{ type: string; n: number; avg_min: number | null }>(
      `SELECT type, count(*)::int AS n, avg(extract(epoch FROM (reached - created_at)) / 60.0)::double precision AS avg_min
         FROM (SELECT j.type, j.created_at,
                      coalesce((SELECT min(e.at) FROM job_events e WHERE e.job_id = j.id AND e.action = 'on_site'), j.completed_at) AS reached
                 FROM jobs j WHERE ${where}) t
        WHERE reached IS NOT NULL
        GROUP BY type ORDER BY type`,
      params,
    );
    return rows.map((r) => ({ type: r.type, count: Number(r.n), avgMinutes: r.avg_min === null ? null : Math.round(Number(r.avg_min) * 100) / 100 }));
  }

  /** Registered streetlights in scope with their positions (for their lighting schedules). */
  async streetlights(scope: KpiScope): Promise<Map<string, { lat: number; lon: number }>> {
    const params: SqlParam[] = [];
    const rows = await this.db.query<{ id: string; lat: number; lon: number }>(
      `SELECT d.id, d.lat, d.lon FROM devices d WHERE d.kind = 'streetlight'${this.deviceScope(scope, params)}`,
      params,
    );
    return new Map(rows.map((r) => [r.id, { lat: Number(r.lat), lon: Number(r.lon) }]));
  }

  /** Vehicles of a contractor (or all); a zone filter applies to their fixes' zone tag instead. */
  async vehicles(contractor?: string): Promise<{ vehicleId: string; deviceId: string; name: string }[]> {
    const params: SqlParam[] = [];
    let where = '';
    if (contractor !== undefined) {
      params.push(contractor);
      where = ' WHERE contractor = $1';
    }
    const rows = await this.db.query<{ id: string; device_id: string; name: string }>(`SELECT id, device_id, name FROM vehicles${where} ORDER BY id`, params);
    return rows.map((r) => ({ vehicleId: r.id, deviceId: r.device_id, name: r.name }));
  }

  async vehicle(id: string): Promise<{ vehicleId: string; deviceId: string } | null> {
    const [row] = await this.db.query<{ id: string; device_id: string }>(`SELECT id, device_id FROM vehicles WHERE id = $1`, [id]);
    return row ? { vehicleId: row.id, deviceId: row.device_id } : null;
  }

  private async counts(sql: string, params: SqlParam[]): Promise<Counts> {
    const [row] = await this.db.query<{ num: number; den: number }>(sql, params);
    return { num: Number(row?.num ?? 0), den: Number(row?.den ?? 0) };
  }
}
