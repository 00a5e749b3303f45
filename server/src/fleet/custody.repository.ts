import { Inject, Injectable } from '@nestjs/common';
import type { Custody, ListCustodyQuery } from '@sanitation/contracts';
import { DATABASE, type Database } from '../database/database.js';

interface CustodyRow {
  id: string | number;
  vehicle_device: string;
  source_device: string;
  job_id: string | number | null;
  pumped_at: Date | string;
  deadline_at: Date | string;
  disposed_at: Date | string | null;
  disposal_site: string | null;
  breached_at: Date | string | null;
}

export interface NewCustody {
  vehicleDeviceId: string;
  sourceDeviceId: string;
  jobId: string | null;
  pumpedAt: number;
  deadlineAt: number;
  /** Already unloaded (the tanker reached a site before the tank's drop was reported). */
  disposed?: { at: number; siteId: string };
}

const COLUMNS = 'id::text AS id, vehicle_device, source_device, job_id::text AS job_id, pumped_at, deadline_at, disposed_at, disposal_site, breached_at';
const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();
const isoOrNull = (v: Date | string | null): string | null => (v === null ? null : iso(v));
const ts = (ms: number): string => new Date(ms).toISOString();

function toCustody(r: CustodyRow): Custody {
  return {
    custodyId: String(r.id),
    vehicleDeviceId: r.vehicle_device,
    sourceDeviceId: r.source_device,
    jobId: r.job_id === null ? null : String(r.job_id),
    pumpedAt: iso(r.pumped_at),
    deadlineAt: iso(r.deadline_at),
    disposedAt: isoOrNull(r.disposed_at),
    disposalSiteId: r.disposal_site,
    breachedAt: isoOrNull(r.breached_at),
  };
}

/** The septic chain of custody: all its SQL. */
@Injectable()
export class CustodyRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Records a pump once: null when this pump, or an open custody of the same tanker and tank, exists. */
  async insert(c: NewCustody): Promise<Custody | null> {
    const rows = await this.db.query<CustodyRow>(
      `INSERT INTO custody (vehicle_device, source_device, job_id, pumped_at, deadline_at, disposed_at, disposal_site)
       VALUES ($1, $2, $3::bigint, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [
        c.vehicleDeviceId,
        c.sourceDeviceId,
        c.jobId !== null && /^\d{1,18}$/.test(c.jobId) ? c.jobId : null,
        ts(c.pumpedAt),
        ts(c.deadlineAt),
        c.disposed ? ts(c.disposed.at) : null,
        c.disposed?.siteId ?? null,
      ],
    );
    return rows[0] ? toCustody(rows[0]) : null;
  }

  /** Closes the tanker's open custodies pumped before `at` at a disposal site; returns those closed now. */
  async dispose(vehicleDeviceId: string, siteId: string, at: number): Promise<Custody[]> {
    const rows = await this.db.query<CustodyRow>(
      `UPDATE custody SET disposed_at = $3, disposal_site = $2
       WHERE vehicle_device = $1 AND disposed_at IS NULL AND pumped_at <= $3 RETURNING ${COLUMNS}`,
      [vehicleDeviceId, siteId, ts(at)],
    );
    return rows.map(toCustody);
  }

  /** Open custodies past their deadline that have not been reported as breached. */
  async overdue(now: number, limit = 500): Promise<Custody[]> {
    const rows = await this.db.query<CustodyRow>(
      `SELECT ${COLUMNS} FROM custody WHERE disposed_at IS NULL AND breached_at IS NULL AND deadline_at < $1 ORDER BY deadline_at LIMIT $2`,
      [ts(now), limit],
    );
    return rows.map(toCustody);
  }

  /** Marks a custody breached; false when it already was (or was disposed meanwhile), so a breach is reported once. */
  async markBreached(custodyId: string, at: number): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE custody SET breached_at = $2 WHERE id = $1::bigint AND breached_at IS NULL AND disposed_at IS NULL RETURNING id::text AS id`,
      [custodyId, ts(at)],
    );
    return rows.length > 0;
  }

  async list(filter: ListCustodyQuery, limit = 1000): Promise<Custody[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.open !== undefined) where.push(filter.open ? 'disposed_at IS NULL' : 'disposed_at IS NOT NULL');
    if (filter.vehicleDeviceId !== undefined) {
      params.push(filter.vehicleDeviceId);
      where.push(`vehicle_device = $${params.length}`);
    }
    params.push(limit);
    const rows = await this.db.query<CustodyRow>(
      `SELECT ${COLUMNS} FROM custody ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toCustody);
  }
}
