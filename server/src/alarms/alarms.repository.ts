import { Inject, Injectable } from '@nestjs/common';
import type { Alarm, AlarmStatus, Cause, DeviceKind, HistoryEntry, ListAlarmsQuery, Paged, Severity } from '@sanitation/contracts';
import { FilterBuilder } from '../database/paged-query.js';
import { DATABASE, type Database, type Queryable, type SqlParam } from '../database/database.js';
import { iso, toHistoryEntry } from '../jobs/jobs.repository.js';

const alarmColumns = (p = '') =>
  `${p}id::text AS id, ${p}subject_id, ${p}device_kind, ${p}cause, ${p}severity, ${p}status, ${p}zone, ${p}contractor,
   ${p}lat, ${p}lon, ${p}message, ${p}opened_at, ${p}acknowledged_at, ${p}acknowledged_by, ${p}resolved_at,
   ${p}resolved_by, ${p}resolution, ${p}escalations, ${p}job_id::text AS job_id`;
const ALARM_COLUMNS = alarmColumns();

/** Most severe first, as an SQL expression. */
const SEVERITY_ORDER = `CASE severity WHEN 'critical' THEN 0 WHEN 'major' THEN 1 WHEN 'minor' THEN 2 ELSE 3 END`;

interface AlarmRow {
  id: string;
  subject_id: string;
  device_kind: DeviceKind | null;
  cause: Cause;
  severity: Severity;
  status: AlarmStatus;
  zone: string | null;
  contractor: string | null;
  lat: number;
  lon: number;
  message: string;
  opened_at: Date | string;
  acknowledged_at: Date | string | null;
  acknowledged_by: string | null;
  resolved_at: Date | string | null;
  resolved_by: string | null;
  resolution: string | null;
  escalations: number;
  job_id: string | null;
}

const isoOrNull = (v: Date | string | null): string | null => (v === null ? null : iso(v));

function toAlarm(row: AlarmRow): Alarm {
  return {
    alarmId: row.id,
    deviceId: row.subject_id,
    deviceKind: row.device_kind,
    cause: row.cause,
    severity: row.severity,
    status: row.status,
    zone: row.zone,
    contractor: row.contractor,
    lat: Number(row.lat),
    lon: Number(row.lon),
    message: row.message,
    openedAt: iso(row.opened_at),
    acknowledgedAt: isoOrNull(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: isoOrNull(row.resolved_at),
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
    escalations: Number(row.escalations),
    jobId: row.job_id,
  };
}

export interface NewAlarm {
  subjectId: string;
  deviceKind: DeviceKind | null;
  cause: Cause;
  severity: Severity;
  zone: string | null;
  lat: number;
  lon: number;
  message: string;
  details: Record<string, unknown>;
  /** Epoch ms. */
  openedAt: number;
}

export interface AlarmEvent {
  at: number;
  by: string;
  action: string;
  note?: string | null;
  data?: Record<string, unknown> | null;
}

/** All alarm I/O. Methods taking `q` run inside the caller's transaction. */
@Injectable()
export class AlarmsRepository {
  constructor(@Inject(DATABASE) readonly db: Database) {}

  /**
   * Opens an alarm unless one is unresolved for (subject, cause): alarms_one_open_idx decides, also
   * between racing transactions and server instances. The contractor comes from the zone.
   */
  async insertOpen(q: Queryable, alarm: NewAlarm): Promise<{ alarm: Alarm; created: boolean }> {
    const rows = await q.query<AlarmRow>(
      `INSERT INTO alarms (subject_id, device_kind, cause, severity, status, zone, contractor, lat, lon, message, opened_at, details)
       VALUES ($1::text, $2::text, $3::text, $4::text, 'open', $5::text, (SELECT contractor FROM zones WHERE id = $5::text),
               $6::float8, $7::float8, $8::text, $9::timestamptz, $10::jsonb)
       ON CONFLICT (subject_id, cause) WHERE status <> 'resolved' DO NOTHING
       RETURNING ${ALARM_COLUMNS}`,
      [alarm.subjectId, alarm.deviceKind, alarm.cause, alarm.severity, alarm.zone, alarm.lat, alarm.lon, alarm.message,
        iso(alarm.openedAt), JSON.stringify(alarm.details)],
    );
    if (rows[0]) {
      const created = toAlarm(rows[0]);
      await this.addEvent(q, created.alarmId, {
        at: alarm.openedAt,
        by: 'system',
        action: 'opened',
        note: alarm.message,
        data: { severity: alarm.severity, ...(Object.keys(alarm.details).length ? { details: alarm.details } : {}) },
      });
      return { alarm: created, created: true };
    }
    const existing = await this.findOpen(alarm.subjectId, alarm.cause, q);
    if (!existing) throw new Error(`alarms: insert of (${alarm.subjectId}, ${alarm.cause}) conflicted but no open alarm is visible`);
    return { alarm: existing, created: false };
  }

  /** The unresolved alarm for (subject, cause), if any. */
  async findOpen(subjectId: string, cause: Cause, q: Queryable = this.db): Promise<Alarm | null> {
    const rows = await q.query<AlarmRow>(
      `SELECT ${ALARM_COLUMNS} FROM alarms WHERE subject_id = $1 AND cause = $2 AND status <> 'resolved'`,
      [subjectId, cause],
    );
    return rows[0] ? toAlarm(rows[0]) : null;
  }

  /** Is any of these causes' alarms unresolved at the subject? */
  async anyOpen(q: Queryable, subjectId: string, causes: readonly Cause[]): Promise<boolean> {
    if (!causes.length) return false;
    const rows = await q.query(
      `SELECT 1 FROM alarms WHERE subject_id = $1 AND cause = ANY($2::text[]) AND status <> 'resolved' LIMIT 1`,
      [subjectId, [...causes]],
    );
    return rows.length > 0;
  }

  async findById(id: string, q: Queryable = this.db, forUpdate = false): Promise<Alarm | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const rows = await q.query<AlarmRow>(`SELECT ${ALARM_COLUMNS} FROM alarms WHERE id = $1::bigint${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toAlarm(rows[0]) : null;
  }

  async history(id: string, q: Queryable = this.db): Promise<HistoryEntry[]> {
    const rows = await q.query<{ at: Date | string; by_user: string; action: string; note: string | null; data: Record<string, unknown> | null }>(
      'SELECT at, by_user, action, note, data FROM alarm_events WHERE alarm_id = $1::bigint ORDER BY id',
      [id],
    );
    return rows.map(toHistoryEntry);
  }

  /** Unresolved first, then most severe, then newest. */
  async list(filter: ListAlarmsQuery): Promise<Paged<Alarm>> {
    const { rows, total } = await new FilterBuilder()
      .anyOf('status', filter.status)
      .anyOf('severity', filter.severity)
      .anyOf('cause', filter.cause)
      .anyOf('device_kind', filter.kind)
      .equals('zone', filter.zone)
      .equals('subject_id', filter.deviceId)
      .page<AlarmRow>(
        this.db,
        'alarms',
        (clause, limit, offset) => `SELECT ${ALARM_COLUMNS} FROM alarms ${clause}
         ORDER BY (status = 'resolved'), ${SEVERITY_ORDER}, opened_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`,
        filter,
      );
    return { items: rows.map(toAlarm), total };
  }

  async acknowledge(q: Queryable, id: string, at: number, by: string): Promise<Alarm | null> {
    const rows = await q.query<AlarmRow>(
      `UPDATE alarms SET status = 'acknowledged', acknowledged_at = $2::timestamptz, acknowledged_by = $3
       WHERE id = $1::bigint AND status = 'open' RETURNING ${ALARM_COLUMNS}`,
      [id, iso(at), by],
    );
    return rows[0] ? toAlarm(rows[0]) : null;
  }

  async resolve(q: Queryable, id: string, at: number, by: string, resolution: string): Promise<Alarm | null> {
    const rows = await q.query<AlarmRow>(
      `UPDATE alarms SET status = 'resolved', resolved_at = $2::timestamptz, resolved_by = $3, resolution = $4
       WHERE id = $1::bigint AND status <> 'resolved' RETURNING ${ALARM_COLUMNS}`,
      [id, iso(at), by, resolution],
    );
    return rows[0] ? toAlarm(rows[0]) : null;
  }

  /** Links the alarm to its job unless already linked. */
  async linkJob(q: Queryable, id: string, jobId: string): Promise<Alarm | null> {
    const rows = await q.query<AlarmRow>(
      `UPDATE alarms SET job_id = $2::bigint WHERE id = $1::bigint AND job_id IS NULL RETURNING ${ALARM_COLUMNS}`,
      [id, jobId],
    );
    return rows[0] ? toAlarm(rows[0]) : null;
  }

  async addEvent(q: Queryable, alarmId: string, event: AlarmEvent): Promise<void> {
    await q.query(
      'INSERT INTO alarm_events (alarm_id, at, by_user, action, note, data) VALUES ($1::bigint, $2::timestamptz, $3, $4, $5, $6::jsonb)',
      [alarmId, iso(event.at), event.by, event.action, event.note ?? null, event.data ? JSON.stringify(event.data) : null],
    );
  }

  /**
   * Every open (unacknowledged) alarm that has waited long enough: the first time (its severity's
   * `afterMin` since opening) it goes one step up; afterwards it is reminded every `remindMin`.
   * One statement, so two instances cannot escalate the same alarm twice for one period.
   */
  async escalateDue(now: number, afterMin: Record<Severity, number>, remindMin: number): Promise<Alarm[]> {
    const rows = await this.db.query<AlarmRow>(
      `WITH due AS (
         SELECT id, severity AS old_severity FROM alarms
         WHERE status = 'open'
           AND COALESCE(last_escalated_at, opened_at) <= $1::timestamptz - interval '1 minute' * CASE
             WHEN escalations > 0 THEN $6::float8
             WHEN severity = 'critical' THEN $2::float8 WHEN severity = 'major' THEN $3::float8
             WHEN severity = 'minor' THEN $4::float8 ELSE $5::float8 END
         FOR UPDATE SKIP LOCKED
       ), changed AS (
         UPDATE alarms AS a SET
           severity = CASE WHEN a.escalations > 0 THEN a.severity
                           ELSE CASE a.severity WHEN 'warning' THEN 'minor' WHEN 'minor' THEN 'major' ELSE 'critical' END END,
           escalations = a.escalations + 1,
           last_escalated_at = $1::timestamptz
         FROM due WHERE a.id = due.id AND a.status = 'open'
         RETURNING ${alarmColumns('a.')}, due.old_severity
       ), history AS (
         INSERT INTO alarm_events (alarm_id, at, by_user, action, note, data)
         SELECT id::bigint, $1::timestamptz, 'system',
                CASE WHEN old_severity = severity THEN 'reminded' ELSE 'escalated' END,
                CASE WHEN old_severity = severity THEN 'still unacknowledged'
                     ELSE 'unacknowledged: severity ' || old_severity || ' → ' || severity END,
                jsonb_build_object('from', old_severity, 'to', severity, 'escalations', escalations)
         FROM changed
       )
       SELECT * FROM changed`,
      [iso(now), afterMin.critical, afterMin.major, afterMin.minor, afterMin.warning, remindMin],
    );
    return rows.map(toAlarm);
  }
}
