import { Inject, Injectable } from '@nestjs/common';
import type { Device, DeviceCredential, DeviceKind, ListDevicesQuery } from '@sanitation/contracts';
import { DATABASE, LOCK_KEYS, type Database, type Queryable } from '../database/database.js';

/** The registry's columns that mirror the API's Device one to one. */
type DeviceFields = Pick<Device, 'kind' | 'name' | 'lat' | 'lon' | 'zone' | 'attributes'>;

export type NewDevice = DeviceFields & { id: string; secretHash: string };

type DeviceRow = DeviceFields & {
  id: string;
  status: Device['status'];
  created_at: Date | string;
  last_seen_at: Date | string | null;
};

const DEVICE_COLUMNS = 'id, kind, name, lat, lon, zone, attributes, status, created_at, last_seen_at';
/** Rows per multi-row INSERT; the column arrays travel as 8 parameters whatever the size. */
const INSERT_CHUNK = 5_000;

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

function toDevice(row: DeviceRow): Device {
  return {
    deviceId: row.id,
    kind: row.kind,
    name: row.name,
    lat: Number(row.lat),
    lon: Number(row.lon),
    zone: row.zone,
    attributes: row.attributes ?? {},
    status: row.status,
    createdAt: iso(row.created_at),
    lastSeenAt: row.last_seen_at === null ? null : iso(row.last_seen_at),
  };
}

/**
 * Revisions come from a sequence, and sequences hand out numbers in call order, not commit order:
 * a writer that drew 10 could commit after one that drew 11, and a gateway that had already synced
 * up to 11 would never see 10. Every revision bump therefore takes a transaction-scoped advisory
 * lock first, so revisions become visible in increasing order.
 */
async function lockRevisions(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEYS.deviceRevision]);
}

/** All device I/O. */
@Injectable()
export class DevicesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Inserts one device; null when the id is taken. */
  async insert(device: NewDevice): Promise<Device | null> {
    const inserted = await this.insertMany([device]);
    return inserted.length ? this.findById(device.id) : null;
  }

  /**
   * Inserts many devices in one transaction with multi-row INSERTs (unnest of column arrays);
   * ids already present are skipped. Returns the ids actually inserted. The caller removes
   * duplicates within `devices` (the first of two equal ids would win here anyway).
   */
  async insertMany(devices: readonly NewDevice[]): Promise<string[]> {
    if (!devices.length) return [];
    return this.db.transaction(async (tx) => {
      await lockRevisions(tx);
      const inserted: string[] = [];
      for (let i = 0; i < devices.length; i += INSERT_CHUNK) {
        const chunk = devices.slice(i, i + INSERT_CHUNK);
        const rows = await tx.query<{ id: string }>(
          `INSERT INTO devices (id, kind, name, lat, lon, zone, attributes, secret_hash)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::jsonb[], $8::text[])
           ON CONFLICT (id) DO NOTHING
           RETURNING id`,
          [
            chunk.map((d) => d.id),
            chunk.map((d) => d.kind),
            chunk.map((d) => d.name),
            chunk.map((d) => d.lat),
            chunk.map((d) => d.lon),
            chunk.map((d) => d.zone),
            chunk.map((d) => JSON.stringify(d.attributes)),
            chunk.map((d) => d.secretHash),
          ],
        );
        for (const row of rows) inserted.push(row.id);
      }
      return inserted;
    });
  }

  async findById(id: string): Promise<Device | null> {
    const rows = await this.db.query<DeviceRow>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = $1`, [id]);
    return rows[0] ? toDevice(rows[0]) : null;
  }

  async list(filter: ListDevicesQuery): Promise<{ items: Device[]; total: number }> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    for (const [column, value] of [
      ['kind', filter.kind],
      ['zone', filter.zone],
      ['status', filter.status],
    ] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await this.db.query<{ total: number | string }>(`SELECT count(*) AS total FROM devices ${clause}`, params);
    const rows = await this.db.query<DeviceRow>(
      `SELECT ${DEVICE_COLUMNS} FROM devices ${clause} ORDER BY id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    return { items: rows.map(toDevice), total: Number(count?.total ?? 0) };
  }

  /** Replaces the secret hash and bumps the revision; null when the device does not exist. */
  async updateSecretHash(id: string, secretHash: string): Promise<Device | null> {
    return this.bump(id, 'secret_hash = $2', [secretHash]);
  }

  /** Marks the device revoked and bumps the revision (also when already revoked: harmless). */
  async revoke(id: string): Promise<Device | null> {
    return this.bump(id, `status = 'revoked'`, []);
  }

  private async bump(id: string, set: string, params: string[]): Promise<Device | null> {
    return this.db.transaction(async (tx) => {
      await lockRevisions(tx);
      const rows = await tx.query<DeviceRow>(
        `UPDATE devices SET ${set}, revision = nextval('device_revision_seq') WHERE id = $1 RETURNING ${DEVICE_COLUMNS}`,
        [id, ...params],
      );
      return rows[0] ? toDevice(rows[0]) : null;
    });
  }

  /**
   * Credentials changed after `since` (all when null), in revision order, with the new cursor:
   * the highest revision returned, or `since` when nothing changed.
   */
  async credentialsSince(since: bigint | null): Promise<{ cursor: string; devices: DeviceCredential[] }> {
    // The text alias must not be named `revision`: ORDER BY would then sort the text ('9999' > '10000').
    const rows = await this.db.query<{ id: string; kind: DeviceKind; zone: string | null; secret_hash: string; status: string; rev: string }>(
      `SELECT id, kind, zone, secret_hash, status, revision::text AS rev FROM devices
       ${since === null ? '' : 'WHERE revision > $1::bigint'} ORDER BY revision`,
      since === null ? [] : [since.toString()],
    );
    const last = rows.at(-1);
    return {
      cursor: last ? last.rev : (since ?? 0n).toString(),
      devices: rows.map((r) => ({
        deviceId: r.id,
        kind: r.kind,
        zone: r.zone,
        secretHash: r.secret_hash,
        revoked: r.status === 'revoked',
      })),
    };
  }

  /** One UPDATE for a whole batch of sightings; never moves last_seen_at backwards. */
  async touchLastSeen(seen: ReadonlyMap<string, Date>): Promise<void> {
    if (!seen.size) return;
    await this.db.query(
      `UPDATE devices AS d SET last_seen_at = GREATEST(d.last_seen_at, v.ts)
       FROM unnest($1::text[], $2::timestamptz[]) AS v(id, ts) WHERE d.id = v.id`,
      [[...seen.keys()], [...seen.values()].map((t) => t.toISOString())],
    );
  }
}
