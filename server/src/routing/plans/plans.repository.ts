import { Inject, Injectable } from '@nestjs/common';
import type { ListPlansQuery, PlanStatus, RoutePlan, RoutePlanListItem } from '@sanitation/contracts';
import { DATABASE, type Database } from '../../database/database.js';
import type { SiteInput } from './problem-builder.js';

/** The plan as stored: everything but the columns' fields and the history. */
type PlanBody = Omit<RoutePlan, 'planId' | 'zone' | 'date' | 'status' | 'version' | 'createdAt' | 'createdBy' | 'publishedAt' | 'publishedBy' | 'history'>;

interface PlanRow {
  id: string;
  zone: string;
  plan_date: string | Date;
  status: PlanStatus;
  version: number;
  body: PlanBody | string;
  created_at: Date | string;
  created_by: string;
  published_at: Date | string | null;
  published_by: string | null;
}

interface HistoryRow {
  at: Date | string;
  by_user: string;
  action: string;
  note: string | null;
}

const COLUMNS = 'id, zone, plan_date::text AS plan_date, status, version, body, created_at, created_by, published_at, published_by';
const LIST_COLUMNS = `id, zone, plan_date::text AS plan_date, status, version, body - 'routes' - 'leftOut' AS body, created_at, created_by, published_at, published_by`;
const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

function toPlan(r: PlanRow, history: RoutePlan['history'] = []): RoutePlan {
  const body: PlanBody = typeof r.body === 'string' ? (JSON.parse(r.body) as PlanBody) : r.body;
  return {
    planId: r.id,
    zone: r.zone,
    date: typeof r.plan_date === 'string' ? r.plan_date.slice(0, 10) : r.plan_date.toISOString().slice(0, 10),
    status: r.status,
    version: Number(r.version),
    createdAt: iso(r.created_at),
    createdBy: r.created_by,
    publishedAt: r.published_at === null ? null : iso(r.published_at),
    publishedBy: r.published_by,
    ...body,
    history,
  };
}

function bodyOf(plan: RoutePlan): string {
  const body: PlanBody = { params: plan.params, summary: plan.summary, routes: plan.routes, leftOut: plan.leftOut };
  return JSON.stringify(body);
}

export interface HistoryEntry {
  at: number;
  by: string;
  action: string;
  note?: string;
}

/** All route-plan SQL. */
@Injectable()
export class PlansRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(plan: RoutePlan, entry: HistoryEntry): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO route_plans (id, zone, plan_date, status, version, body, created_at, created_by)
         VALUES ($1, $2, $3::date, $4, $5, $6::jsonb, $7, $8)`,
        [plan.planId, plan.zone, plan.date, plan.status, plan.version, bodyOf(plan), plan.createdAt, plan.createdBy],
      );
      await tx.query('INSERT INTO route_plan_history (plan_id, at, by_user, action, note, version) VALUES ($1, $2, $3, $4, $5, $6)', [
        plan.planId, new Date(entry.at), entry.by, entry.action, entry.note ?? null, plan.version,
      ]);
    });
  }

  async find(planId: string): Promise<RoutePlan | null> {
    const rows = await this.db.query<PlanRow>(`SELECT ${COLUMNS} FROM route_plans WHERE id = $1`, [planId]);
    if (!rows[0]) return null;
    const history = await this.db.query<HistoryRow>('SELECT at, by_user, action, note FROM route_plan_history WHERE plan_id = $1 ORDER BY id DESC', [planId]);
    return toPlan(rows[0], history.map((h) => ({ at: iso(h.at), by: h.by_user, action: h.action, ...(h.note !== null ? { note: h.note } : {}) })));
  }

  async list(q: ListPlansQuery): Promise<RoutePlanListItem[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (q.zone) where.push(`zone = $${params.push(q.zone)}`);
    if (q.date) where.push(`plan_date = $${params.push(q.date)}::date`);
    if (q.status) where.push(`status = $${params.push(q.status)}`);
    const rows = await this.db.query<PlanRow>(
      `SELECT ${LIST_COLUMNS} FROM route_plans ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT 500`,
      params,
    );
    return rows.map((r) => {
      const { routes: _r, leftOut: _l, history: _h, ...item } = toPlan(r);
      return item;
    });
  }

  /** Plans of a zone (or all) with this status, whole. */
  async withStatus(status: PlanStatus, zone?: string): Promise<RoutePlan[]> {
    const rows = zone
      ? await this.db.query<PlanRow>(`SELECT ${COLUMNS} FROM route_plans WHERE status = $1 AND zone = $2 ORDER BY created_at`, [status, zone])
      : await this.db.query<PlanRow>(`SELECT ${COLUMNS} FROM route_plans WHERE status = $1 ORDER BY created_at`, [status]);
    return rows.map((r) => toPlan(r));
  }

  /**
   * Writes a new version if the stored one is still `expected` (optimistic: the solve between read
   * and write takes seconds). False when someone else wrote first.
   */
  async update(plan: RoutePlan, expected: number, entry: HistoryEntry): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>(
        `UPDATE route_plans SET status = $3, version = $4, body = $5::jsonb, published_at = $6, published_by = $7
         WHERE id = $1 AND version = $2 RETURNING id`,
        [plan.planId, expected, plan.status, plan.version, bodyOf(plan), plan.publishedAt, plan.publishedBy],
      );
      if (!rows[0]) return false;
      await tx.query('INSERT INTO route_plan_history (plan_id, at, by_user, action, note, version) VALUES ($1, $2, $3, $4, $5, $6)', [
        plan.planId, new Date(entry.at), entry.by, entry.action, entry.note ?? null, plan.version,
      ]);
      return true;
    });
  }

  /** Live-tracking columns only: no version bump, no history (the tracker writes often). */
  async saveBody(plan: RoutePlan): Promise<void> {
    await this.db.query('UPDATE route_plans SET body = $2::jsonb WHERE id = $1 AND version = $3', [plan.planId, bodyOf(plan), plan.version]);
  }

  /** Base-map point features of a layer (depots, transfer stations). */
  async basemapSites(layer: 'depot' | 'transfer' | 'disposal'): Promise<SiteInput[]> {
    const rows = await this.db.query<{ id: string; name: string | null; lon: number; lat: number }>(
      `SELECT f->'properties'->>'id' AS id, f->'properties'->>'name' AS name,
              (f->'geometry'->'coordinates'->>0)::float8 AS lon, (f->'geometry'->'coordinates'->>1)::float8 AS lat
       FROM basemap, jsonb_array_elements(geojson->'features') AS f
       WHERE basemap.id = 1 AND f->'properties'->>'layer' = $1 AND f->'geometry'->>'type' = 'Point'`,
      [layer],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, lat: Number(r.lat), lon: Number(r.lon) }));
  }
}
