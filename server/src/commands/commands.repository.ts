import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';
import type { CommandAction, CommandStatus, DeviceCommandRecord } from '@sanitation/contracts';

interface CommandRow {
  cmd_id: string;
  device_id: string;
  action: CommandAction;
  dim_pct: number | null;
  status: CommandStatus;
  requested_by: string;
  sent_at: Date | string;
  acked_at: Date | string | null;
  device_ts: string | number | null;
  error: string | null;
}

const COLUMNS = 'cmd_id, device_id, action, dim_pct, status, requested_by, sent_at, acked_at, device_ts, error';
const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

function toRecord(r: CommandRow): DeviceCommandRecord {
  return {
    cmdId: r.cmd_id,
    deviceId: r.device_id,
    action: r.action,
    dimPct: r.dim_pct === null ? null : Number(r.dim_pct),
    status: r.status,
    requestedBy: r.requested_by,
    sentAt: iso(r.sent_at),
    ackedAt: r.acked_at === null ? null : iso(r.acked_at),
    deviceTs: r.device_ts === null ? null : Number(r.device_ts),
    error: r.error,
  };
}

export interface NewCommand {
  cmdId: string;
  deviceId: string;
  action: CommandAction;
  dimPct: number | null;
  requestedBy: string;
  sentAt: number;
  deadlineAt: number;
}

/** All device_commands I/O. */
@Injectable()
export class CommandsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(c: NewCommand): Promise<DeviceCommandRecord> {
    const rows = await this.db.query<CommandRow>(
      `INSERT INTO device_commands (cmd_id, device_id, action, dim_pct, status, requested_by, sent_at, deadline_at)
       VALUES ($1, $2, $3, $4, 'sent', $5, $6, $7) RETURNING ${COLUMNS}`,
      [c.cmdId, c.deviceId, c.action, c.dimPct, c.requestedBy, new Date(c.sentAt), new Date(c.deadlineAt)],
    );
    return toRecord(rows[0]!);
  }

  async find(deviceId: string, cmdId: string): Promise<DeviceCommandRecord | null> {
    const rows = await this.db.query<CommandRow>(`SELECT ${COLUMNS} FROM device_commands WHERE device_id = $1 AND cmd_id = $2`, [deviceId, cmdId]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(deviceId: string, limit: number, offset: number): Promise<{ items: DeviceCommandRecord[]; total: number }> {
    const rows = await this.db.query<CommandRow>(
      `SELECT ${COLUMNS} FROM device_commands WHERE device_id = $1 ORDER BY sent_at DESC, seq DESC LIMIT $2 OFFSET $3`,
      [deviceId, limit, offset],
    );
    const [count] = await this.db.query<{ n: string | number }>('SELECT count(*) AS n FROM device_commands WHERE device_id = $1', [deviceId]);
    return { items: rows.map(toRecord), total: Number(count?.n ?? 0) };
  }

  /**
   * Settles a command from its device's ack. Idempotent (QoS 1 may deliver the ack twice, and every
   * server instance receives it): only a 'sent' or 'timeout' command changes; a late ack still
   * records what the device did. Returns the record when it changed.
   */
  async settle(deviceId: string, cmdId: string, ok: boolean, error: string | null, ackedAt: number, deviceTs: number): Promise<DeviceCommandRecord | null> {
    const rows = await this.db.query<CommandRow>(
      `UPDATE device_commands SET status = $3, error = $4, acked_at = $5, device_ts = $6
       WHERE device_id = $1 AND cmd_id = $2 AND status IN ('sent', 'timeout') RETURNING ${COLUMNS}`,
      [deviceId, cmdId, ok ? 'acked' : 'failed', error, new Date(ackedAt), deviceTs],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** A command no gateway took: failed at once, with the reason. */
  async markUndelivered(cmdId: string, error: string): Promise<DeviceCommandRecord | null> {
    const rows = await this.db.query<CommandRow>(
      `UPDATE device_commands SET status = 'failed', error = $2 WHERE cmd_id = $1 AND status = 'sent' RETURNING ${COLUMNS}`,
      [cmdId, error],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** 'sent' commands whose deadline (wall) passed become 'timeout'; `deviceId` limits it to one device. */
  async expire(wallNow: number, deviceId?: string): Promise<number> {
    const rows = await this.db.query<{ cmd_id: string }>(
      `UPDATE device_commands SET status = 'timeout'
       WHERE status = 'sent' AND deadline_at <= $1 ${deviceId === undefined ? '' : 'AND device_id = $2'} RETURNING cmd_id`,
      deviceId === undefined ? [new Date(wallNow)] : [new Date(wallNow), deviceId],
    );
    return rows.length;
  }
}
