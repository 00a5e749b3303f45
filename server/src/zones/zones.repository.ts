import { Inject, Injectable } from '@nestjs/common';
import type { Contractor, ZoneFeature, ZoneGeometry } from '@sanitation/contracts';
import { DATABASE, LOCK_KEYS, type Database } from '../database/database.js';
import type { IndexedZone } from './zone-index.js';

export interface ZoneRow {
  id: string;
  name: string;
  responsible: string | null;
  contractor: string | null;
  geometry: ZoneGeometry;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  updated_at: Date | string;
}

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

export function toIndexed(row: ZoneRow): IndexedZone {
  return { id: row.id, geometry: row.geometry, bbox: [Number(row.min_lon), Number(row.min_lat), Number(row.max_lon), Number(row.max_lat)] };
}

/** Zones, contractors, and the device re-zoning a zone import causes. */
@Injectable()
export class ZonesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async listZones(): Promise<ZoneRow[]> {
    return this.db.query<ZoneRow>('SELECT * FROM zones ORDER BY id');
  }

  /** Upserts the zones (creating unknown contractors, named by their id) in one transaction. */
  async upsertZones(zones: readonly { feature: ZoneFeature; bbox: [number, number, number, number] }[]): Promise<void> {
    if (!zones.length) return;
    await this.db.transaction(async (tx) => {
      const contractors = [...new Set(zones.map((z) => z.feature.properties.contractor).filter((c): c is string => !!c))];
      if (contractors.length) {
        await tx.query('INSERT INTO contractors (id, name) SELECT c, c FROM unnest($1::text[]) AS c ON CONFLICT (id) DO NOTHING', [contractors]);
      }
      await tx.query(
        `INSERT INTO zones (id, name, responsible, contractor, geometry, min_lon, min_lat, max_lon, max_lat, updated_at)
         SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::float8[], $7::float8[], $8::float8[], $9::float8[])
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, responsible = EXCLUDED.responsible, contractor = EXCLUDED.contractor,
           geometry = EXCLUDED.geometry, min_lon = EXCLUDED.min_lon, min_lat = EXCLUDED.min_lat, max_lon = EXCLUDED.max_lon,
           max_lat = EXCLUDED.max_lat, updated_at = now()`,
        [
          zones.map((z) => z.feature.properties.id),
          zones.map((z) => z.feature.properties.name),
          zones.map((z) => z.feature.properties.responsible ?? null),
          zones.map((z) => z.feature.properties.contractor ?? null),
          zones.map((z) => JSON.stringify(z.feature.geometry)),
          zones.map((z) => z.bbox[0]),
          zones.map((z) => z.bbox[1]),
          zones.map((z) => z.bbox[2]),
          zones.map((z) => z.bbox[3]),
        ],
      );
    });
  }

  /**
   * Sets the zone of many devices in one statement and bumps their revision (under the revision
   * lock, see devices.repository.ts), so the gateways tag their readings with the new zone.
   */
  async setDeviceZones(changes: readonly { deviceId: string; zone: string }[]): Promise<void> {
    if (!changes.length) return;
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEYS.deviceRevision]);
      await tx.query(
        `UPDATE devices AS d SET zone = v.zone, revision = nextval('device_revision_seq')
         FROM unnest($1::text[], $2::text[]) AS v(id, zone) WHERE d.id = v.id AND d.zone IS DISTINCT FROM v.zone`,
        [changes.map((c) => c.deviceId), changes.map((c) => c.zone)],
      );
    });
  }

  async insertContractor(id: string, name: string): Promise<Contractor | null> {
    const rows = await this.db.query<{ id: string; name: string; created_at: Date | string }>(
      'INSERT INTO contractors (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING *',
      [id, name],
    );
    return rows[0] ? { contractorId: rows[0].id, name: rows[0].name, createdAt: iso(rows[0].created_at) } : null;
  }

  async listContractors(): Promise<Contractor[]> {
    const rows = await this.db.query<{ id: string; name: string; created_at: Date | string }>('SELECT * FROM contractors ORDER BY id');
    return rows.map((r) => ({ contractorId: r.id, name: r.name, createdAt: iso(r.created_at) }));
  }

  /** zone id → contractor id, for the rules and dispatch. */
  async zoneContractors(): Promise<Map<string, string | null>> {
    const rows = await this.db.query<{ id: string; contractor: string | null }>('SELECT id, contractor FROM zones');
    return new Map(rows.map((r) => [r.id, r.contractor]));
  }

  static iso = iso;
}
