import { Inject, Injectable } from '@nestjs/common';
import type {
  AssignmentProposal,
  Cause,
  DeviceKind,
  HistoryEntry,
  Job,
  JobProof,
  JobStatus,
  JobType,
  ListJobsQuery,
  Paged,
  Priority,
} from '@sanitation/contracts';
import { FilterBuilder } from '../database/paged-query.js';
import { DATABASE, type Database, type Queryable, type SqlParam } from '../database/database.js';
import { FLAG_OVERDUE } from './job-rules.js';

/** The open states as an SQL list; must match jobs_one_open_idx. */
const OPEN_SQL = `('open', 'assigned', 'en_route', 'on_site')`;

const jobColumns = (p = '') =>
  `${p}id::text AS id, ${p}type, ${p}cause, ${p}subject_id, ${p}device_kind, ${p}zone, ${p}contractor, ${p}lat, ${p}lon,
   ${p}priority, ${p}status, ${p}message, ${p}details, ${p}created_at, ${p}due_at, ${p}updated_at, ${p}completed_at,
   ${p}unit_type, ${p}unit_id, ${p}proposal, ${p}unsafe, ${p}flags, ${p}proof, ${p}alarm_id::text AS alarm_id`;
const JOB_COLUMNS = jobColumns();

interface JobRow {
  id: string;
  type: JobType;
  cause: Cause;
  subject_id: string;
  device_kind: DeviceKind | null;
  zone: string | null;
  contractor: string | null;
  lat: number;
  lon: number;
  priority: number;
  status: JobStatus;
  message: string;
  details: Record<string, unknown> | null;
  created_at: Date | string;
  due_at: Date | string;
  updated_at: Date | string;
  completed_at: Date | string | null;
  unit_type: 'vehicle' | 'crew' | null;
  unit_id: string | null;
  proposal: AssignmentProposal | null;
  unsafe: boolean;
  flags: string[] | null;
  proof: JobProof | null;
  alarm_id: string | null;
}

interface EventRow {
  at: Date | string;
  by_user: string;
  action: string;
  note: string | null;
  data: Record<string, unknown> | null;
}

export const iso = (v: Date | string | number): string => (v instanceof Date ? v : new Date(v)).toISOString();

function toJob(row: JobRow): Job {
  return {
    jobId: row.id,
    type: row.type,
    cause: row.cause,
    deviceId: row.subject_id,
    deviceKind: row.device_kind,
    zone: row.zone,
    contractor: row.contractor,
    lat: Number(row.lat),
    lon: Number(row.lon),
    priority: Number(row.priority) as Priority,
    status: row.status,
    message: row.message,
    details: row.details ?? {},
    createdAt: iso(row.created_at),
    dueAt: iso(row.due_at),
    updatedAt: iso(row.updated_at),
    completedAt: row.completed_at === null ? null : iso(row.completed_at),
    assignee: row.unit_type && row.unit_id ? { unitType: row.unit_type, unitId: row.unit_id } : null,
    proposal: row.proposal ?? null,
    unsafe: row.unsafe,
    flags: row.flags ?? [],
    proof: row.proof ?? null,
    alarmId: row.alarm_id,
  };
}

export function toHistoryEntry(row: EventRow): HistoryEntry {
  return {
    at: iso(row.at),
    by: row.by_user,
    action: row.action,
    ...(row.note !== null ? { note: row.note } : {}),
    ...(row.data !== null ? { data: row.data } : {}),
  };
}

export interface NewJob {
  type: JobType;
  cause: Cause;
  subjectId: string;
  deviceKind: DeviceKind | null;
  zone: string | null;
  lat: number;
  lon: number;
  priority: Priority;
  message: string;
  details: Record<string, unknown>;
  /** Epoch ms. */
  createdAt: number;
  dueAt: number;
  unsafe: boolean;
  alarmId: string | null;
}

export interface JobEvent {
  /** Epoch ms. */
  at: number;
  by: string;
  action: string;
  note?: string | null;
  data?: Record<string, unknown> | null;
}

/** Columns a service may change, with the SQL cast of each value. */
const PATCHABLE = {
  status: 'text',
  priority: 'smallint',
  due_at: 'timestamptz',
  updated_at: 'timestamptz',
  completed_at: 'timestamptz',
  unit_type: 'text',
  unit_id: 'text',
  proposal: 'jsonb',
  flags: 'text[]',
  proof: 'jsonb',
  alarm_id: 'bigint',
  details: 'jsonb',
} as const;
export type JobPatch = Partial<Record<keyof typeof PATCHABLE, SqlParam>>;

/** All job I/O. Methods taking `q` run inside the caller's transaction. */
@Injectable()
export class JobsRepository {
  constructor(@Inject(DATABASE) readonly db: Database) {}

  /**
   * Inserts an open job unless one is open for (subject, type): the partial unique index decides,
   * also between racing transactions and server instances. Returns the open job either way.
   */
  async insertOpen(q: Queryable, job: NewJob): Promise<{ job: Job; created: boolean }> {
    const at = iso(job.createdAt);
    const rows = await q.query<JobRow>(
      `INSERT INTO jobs (type, cause, subject_id, device_kind, zone, contractor, lat, lon, priority, status,
                         message, details, created_at, due_at, updated_at, unsafe, alarm_id)
       VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, (SELECT contractor FROM zones WHERE id = $5::text),
               $6::float8, $7::float8, $8::smallint, 'open', $9::text, $10::jsonb, $11::timestamptz, $12::timestamptz,
               $11::timestamptz, $13::boolean, $14::bigint)
       ON CONFLICT (subject_id, type) WHERE status IN ${OPEN_SQL} DO NOTHING
       RETURNING ${JOB_COLUMNS}`,
      [job.type, job.cause, job.subjectId, job.deviceKind, job.zone, job.lat, job.lon, job.priority, job.message,
        JSON.stringify(job.details), at, iso(job.dueAt), job.unsafe, job.alarmId],
    );
    if (rows[0]) {
      const created = toJob(rows[0]);
      await this.addEvent(q, created.jobId, {
        at: job.createdAt,
        by: 'system',
        action: 'open',
        note: job.message,
        data: { cause: job.cause, priority: job.priority, dueAt: created.dueAt },
      });
      return { job: created, created: true };
    }
    const [existing] = await this.findOpen(job.subjectId, job.type, q);
    // The conflicting row committed before ON CONFLICT returned, so it is visible to this statement.
    if (!existing) throw new Error(`jobs: insert of (${job.subjectId}, ${job.type}) conflicted but no open job is visible`);
    return { job: existing, created: false };
  }

  async findById(id: string, q: Queryable = this.db, forUpdate = false): Promise<Job | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const rows = await q.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1::bigint${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  async history(id: string, q: Queryable = this.db): Promise<HistoryEntry[]> {
    const rows = await q.query<EventRow>(
      'SELECT at, by_user, action, note, data FROM job_events WHERE job_id = $1::bigint ORDER BY id',
      [id],
    );
    return rows.map(toHistoryEntry);
  }

  /** Open jobs at a subject (of one type), oldest first. */
  async findOpen(subjectId: string, type?: JobType, q: Queryable = this.db): Promise<Job[]> {
    const rows = await q.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE subject_id = $1 AND status IN ${OPEN_SQL}
       ${type ? 'AND type = $2' : ''} ORDER BY id`,
      type ? [subjectId, type] : [subjectId],
    );
    return rows.map(toJob);
  }

  async listOpen(types?: readonly JobType[]): Promise<Job[]> {
    const rows = await this.db.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM jobs WHERE status IN ${OPEN_SQL} ${types ? 'AND type = ANY($1::text[])' : ''} ORDER BY id`,
      types ? [[...types]] : [],
    );
    return rows.map(toJob);
  }

  /** A job of (subject, type) closed at or after `at`: the work done since the observation covers it. */
  async closedSince(q: Queryable, subjectId: string, type: JobType, at: number): Promise<boolean> {
    const rows = await q.query(
      `SELECT 1 FROM jobs WHERE subject_id = $1 AND type = $2 AND status IN ('done', 'cancelled')
       AND completed_at >= $3::timestamptz LIMIT 1`,
      [subjectId, type, iso(at)],
    );
    return rows.length > 0;
  }

  /** `crewMember`: only jobs assigned to a crew this operator belongs to. */
  async list(filter: ListJobsQuery, crewMember?: string): Promise<Paged<Job>> {
    const where = new FilterBuilder()
      .anyOf('status', filter.status)
      .anyOf('type', filter.type)
      .anyOf('cause', filter.cause)
      .anyOf('device_kind', filter.kind)
      .equals('zone', filter.zone)
      .equals('subject_id', filter.deviceId)
      .equals('unit_id', filter.unitId);
    if (filter.priority !== undefined) where.add((n) => `priority = ${n}::smallint`, filter.priority);
    if (filter.overdue !== undefined) where.add((n) => `(${n}::text = ANY(flags)) = ${filter.overdue ? 'true' : 'false'}`, FLAG_OVERDUE);
    if (crewMember !== undefined) {
      // Their crews' jobs, and the jobs of the trucks they ride.
      where.add(
        (n) => `((unit_type = 'crew' AND unit_id IN (SELECT id FROM crews WHERE ${n}::text = ANY(members)))
          OR (unit_type = 'vehicle' AND unit_id IN (SELECT id FROM vehicles WHERE ${n}::text = ANY(members))))`,
        crewMember,
      );
    }
    const { rows, total } = await where.page<JobRow>(
      this.db,
      'jobs',
      (clause, limit, offset) => `SELECT ${JOB_COLUMNS} FROM jobs ${clause}
       ORDER BY (status IN ${OPEN_SQL}) DESC, priority, due_at, id LIMIT ${limit} OFFSET ${offset}`,
      filter,
    );
    return { items: rows.map(toJob), total };
  }

  /** Is this operator a member of the crew (or truck crew) the job is assigned to? */
  async isCrewMemberOf(job: Job, username: string): Promise<boolean> {
    if (!job.assignee) return false;
    const table = job.assignee.unitType === 'crew' ? 'crews' : 'vehicles';
    const rows = await this.db.query(`SELECT 1 FROM ${table} WHERE id = $1 AND $2::text = ANY(members)`, [job.assignee.unitId, username]);
    return rows.length > 0;
  }

  /** The unit's name, or null when no such vehicle/crew is registered. */
  async unitName(unitType: 'vehicle' | 'crew', unitId: string): Promise<string | null> {
    const table = unitType === 'vehicle' ? 'vehicles' : 'crews';
    const rows = await this.db.query<{ name: string }>(`SELECT name FROM ${table} WHERE id = $1`, [unitId]);
    return rows[0]?.name ?? null;
  }

  /** Updates the given columns; `where` may add a guard (e.g. on the status). Null when no row matched. */
  async update(q: Queryable, id: string, patch: JobPatch, where = ''): Promise<Job | null> {
    const sets: string[] = [];
    const params: SqlParam[] = [id];
    for (const [column, value] of Object.entries(patch) as [keyof typeof PATCHABLE, SqlParam][]) {
      params.push(value);
      sets.push(`${column} = $${params.length}::${PATCHABLE[column]}`);
    }
    if (!sets.length) return this.findById(id, q);
    const rows = await q.query<JobRow>(
      `UPDATE jobs SET ${sets.join(', ')} WHERE id = $1::bigint ${where} RETURNING ${JOB_COLUMNS}`,
      params,
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /**
   * Tightens an open job when a more urgent cause joins it: the lower priority number and the
   * earlier due time win. Null when it already was at least as urgent.
   */
  async tighten(q: Queryable, id: string, priority: Priority, dueAt: number, now: number): Promise<Job | null> {
    const rows = await q.query<JobRow>(
      `UPDATE jobs SET priority = LEAST(priority, $2::smallint), due_at = LEAST(due_at, $3::timestamptz), updated_at = $4::timestamptz
       WHERE id = $1::bigint AND status IN ${OPEN_SQL} AND (priority > $2::smallint OR due_at > $3::timestamptz)
       RETURNING ${JOB_COLUMNS}`,
      [id, priority, iso(dueAt), iso(now)],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  async addEvent(q: Queryable, jobId: string, event: JobEvent): Promise<void> {
    await q.query(
      'INSERT INTO job_events (job_id, at, by_user, action, note, data) VALUES ($1::bigint, $2::timestamptz, $3, $4, $5, $6::jsonb)',
      [jobId, iso(event.at), event.by, event.action, event.note ?? null, event.data ? JSON.stringify(event.data) : null],
    );
  }

  /** Adds a history entry unless the job already has one with this action and `data.key`. True when added. */
  async addEventOnce(q: Queryable, jobId: string, event: JobEvent, key: string): Promise<boolean> {
    const rows = await q.query(
      `INSERT INTO job_events (job_id, at, by_user, action, note, data)
       SELECT $1::bigint, $2::timestamptz, $3, $4::text, $5, $6::jsonb
       WHERE NOT EXISTS (SELECT 1 FROM job_events WHERE job_id = $1::bigint AND action = $4::text AND data->>'key' = $7::text)
       RETURNING id`,
      [jobId, iso(event.at), event.by, event.action, event.note ?? null, JSON.stringify({ ...event.data, key }), key],
    );
    return rows.length > 0;
  }

  /** Flags (or unflags) every open job at the subject; one history entry per job that changed. */
  async setUnsafe(q: Queryable, subjectId: string, unsafe: boolean, at: number, reason: string): Promise<Job[]> {
    const rows = await q.query<JobRow>(
      `WITH changed AS (
         UPDATE jobs SET unsafe = $2::boolean, updated_at = $3::timestamptz
         WHERE subject_id = $1 AND status IN ${OPEN_SQL} AND unsafe <> $2::boolean
         RETURNING ${JOB_COLUMNS}
       ), history AS (
         INSERT INTO job_events (job_id, at, by_user, action, note)
         SELECT id::bigint, $3::timestamptz, 'system', CASE WHEN $2::boolean THEN 'unsafe' ELSE 'safe' END, $4::text FROM changed
       )
       SELECT * FROM changed`,
      [subjectId, unsafe, iso(at), reason],
    );
    return rows.map(toJob);
  }

  /** Flags open jobs past their due time `overdue` (once each), with a history entry. */
  async flagOverdue(now: number): Promise<Job[]> {
    const rows = await this.db.query<JobRow>(
      `WITH changed AS (
         UPDATE jobs SET flags = array_append(flags, $2::text), updated_at = $1::timestamptz
         WHERE status IN ${OPEN_SQL} AND due_at < $1::timestamptz AND NOT ($2::text = ANY(flags))
         RETURNING ${JOB_COLUMNS}
       ), history AS (
         INSERT INTO job_events (job_id, at, by_user, action, note, data)
         SELECT id::bigint, $1::timestamptz, 'system', 'flagged', 'past its due time', jsonb_build_object('flag', $2::text, 'dueAt', due_at)
         FROM changed
       )
       SELECT * FROM changed`,
      [iso(now), FLAG_OVERDUE],
    );
    return rows.map(toJob);
  }
}
