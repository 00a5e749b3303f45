import { Inject, Injectable } from '@nestjs/common';
import {
  SKILLS,
  type AutoAssignSettings,
  type Crew,
  type DisposalSite,
  type LatLon,
  type RegisterCrewRequest,
  type RegisterVehicleRequest,
  type Shift,
  type Skill,
} from '@sanitation/contracts';
import { DATABASE, type Database } from '../database/database.js';

/** A vehicle as stored (no live state). */
export interface VehicleRecord {
  vehicleId: string;
  name: string;
  skill: Skill;
  deviceId: string;
  capacityKg: number;
  shift: Shift;
  contractor: string | null;
  /** Crew accounts riding this truck. */
  members: string[];
}

/** A crew as stored, with its last reported position. */
export type CrewRecord = Omit<Crew, 'position' | 'activeJobs'> & { reported: (LatLon & { at: string }) | null };

type RegisteredCrew = Omit<RegisterCrewRequest, 'members' | 'capacityJobs'> & { members: string[]; capacityJobs: number };

interface VehicleRow {
  id: string;
  name: string;
  skill: Skill;
  device_id: string;
  capacity_kg: number;
  shift_start: string;
  shift_end: string;
  contractor: string | null;
  members: string[] | null;
}

interface CrewRow {
  id: string;
  name: string;
  skill: Skill;
  members: string[] | null;
  capacity_jobs: number;
  shift_start: string;
  shift_end: string;
  base_lat: number;
  base_lon: number;
  contractor: string | null;
  pos_lat: number | null;
  pos_lon: number | null;
  pos_at: Date | string | null;
}

const VEHICLE_COLUMNS = 'id, name, skill, device_id, capacity_kg, shift_start, shift_end, contractor, members';
const CREW_COLUMNS = 'id, name, skill, members, capacity_jobs, shift_start, shift_end, base_lat, base_lon, contractor, pos_lat, pos_lon, pos_at';

const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();

function toVehicle(r: VehicleRow): VehicleRecord {
  return {
    vehicleId: r.id,
    name: r.name,
    skill: r.skill,
    deviceId: r.device_id,
    capacityKg: Number(r.capacity_kg),
    shift: { start: r.shift_start, end: r.shift_end },
    contractor: r.contractor,
    members: r.members ?? [],
  };
}

function toCrew(r: CrewRow): CrewRecord {
  return {
    crewId: r.id,
    name: r.name,
    skill: r.skill,
    members: r.members ?? [],
    capacityJobs: Number(r.capacity_jobs),
    shift: { start: r.shift_start, end: r.shift_end },
    base: { lat: Number(r.base_lat), lon: Number(r.base_lon) },
    contractor: r.contractor,
    reported: r.pos_lat === null || r.pos_lon === null || r.pos_at === null ? null : { lat: Number(r.pos_lat), lon: Number(r.pos_lon), at: iso(r.pos_at) },
  };
}

/** Vehicles, crews, disposal sites and the auto-assign settings: all their SQL. */
@Injectable()
export class FleetRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Null when the id or the GPS device is already taken. */
  async insertVehicle(v: RegisterVehicleRequest): Promise<VehicleRecord | null> {
    const rows = await this.db.query<VehicleRow>(
      `INSERT INTO vehicles (id, name, skill, device_id, capacity_kg, shift_start, shift_end, contractor, members)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[]) ON CONFLICT DO NOTHING RETURNING ${VEHICLE_COLUMNS}`,
      [v.id, v.name, v.skill, v.deviceId, v.capacityKg, v.shift.start, v.shift.end, v.contractor ?? null, v.members ?? []],
    );
    return rows[0] ? toVehicle(rows[0]) : null;
  }

  async findVehicle(id: string): Promise<VehicleRecord | null> {
    const rows = await this.db.query<VehicleRow>(`SELECT ${VEHICLE_COLUMNS} FROM vehicles WHERE id = $1`, [id]);
    return rows[0] ? toVehicle(rows[0]) : null;
  }

  async findVehicleByDevice(deviceId: string): Promise<VehicleRecord | null> {
    const rows = await this.db.query<VehicleRow>(`SELECT ${VEHICLE_COLUMNS} FROM vehicles WHERE device_id = $1`, [deviceId]);
    return rows[0] ? toVehicle(rows[0]) : null;
  }

  async listVehicles(): Promise<VehicleRecord[]> {
    return (await this.db.query<VehicleRow>(`SELECT ${VEHICLE_COLUMNS} FROM vehicles ORDER BY id`)).map(toVehicle);
  }

  /** Null when the id is taken. */
  async insertCrew(c: RegisteredCrew): Promise<CrewRecord | null> {
    const rows = await this.db.query<CrewRow>(
      `INSERT INTO crews (id, name, skill, members, capacity_jobs, shift_start, shift_end, base_lat, base_lon, contractor)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING ${CREW_COLUMNS}`,
      [c.id, c.name, c.skill, c.members, c.capacityJobs, c.shift.start, c.shift.end, c.base.lat, c.base.lon, c.contractor ?? null],
    );
    return rows[0] ? toCrew(rows[0]) : null;
  }

  async findCrew(id: string): Promise<CrewRecord | null> {
    const rows = await this.db.query<CrewRow>(`SELECT ${CREW_COLUMNS} FROM crews WHERE id = $1`, [id]);
    return rows[0] ? toCrew(rows[0]) : null;
  }

  async listCrews(): Promise<CrewRecord[]> {
    return (await this.db.query<CrewRow>(`SELECT ${CREW_COLUMNS} FROM crews ORDER BY id`)).map(toCrew);
  }

  /** Records a reported position unless a newer one is stored; null when the crew does not exist. */
  async setCrewPosition(id: string, pos: LatLon, at: number): Promise<CrewRecord | null> {
    await this.db.query(
      `UPDATE crews SET pos_lat = $2, pos_lon = $3, pos_at = $4 WHERE id = $1 AND (pos_at IS NULL OR pos_at <= $4)`,
      [id, pos.lat, pos.lon, new Date(at).toISOString()],
    );
    return this.findCrew(id);
  }

  /** Null when the id is taken. */
  async insertDisposalSite(s: DisposalSite): Promise<DisposalSite | null> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO disposal_sites (id, name, lat, lon, radius_m) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
      [s.id, s.name, s.lat, s.lon, s.radiusM],
    );
    return rows[0] ? s : null;
  }

  async listDisposalSites(): Promise<DisposalSite[]> {
    const rows = await this.db.query<{ id: string; name: string; lat: number; lon: number; radius_m: number }>(
      'SELECT id, name, lat, lon, radius_m FROM disposal_sites ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, name: r.name, lat: Number(r.lat), lon: Number(r.lon), radiusM: Number(r.radius_m) }));
  }

  async getAutoAssign(): Promise<AutoAssignSettings> {
    const rows = await this.db.query<{ skill: string; enabled: boolean }>('SELECT skill, enabled FROM fleet_auto_assign');
    const settings = Object.fromEntries(SKILLS.map((s) => [s, true])) as AutoAssignSettings;
    for (const r of rows) if ((SKILLS as readonly string[]).includes(r.skill)) settings[r.skill as Skill] = r.enabled;
    return settings;
  }

  async setAutoAssign(changes: Partial<AutoAssignSettings>, by: string, at: number): Promise<AutoAssignSettings> {
    const entries = Object.entries(changes).filter(([, v]) => typeof v === 'boolean') as [Skill, boolean][];
    if (entries.length) {
      await this.db.query(
        `INSERT INTO fleet_auto_assign (skill, enabled, updated_at, updated_by)
         SELECT s, e, $3, $4 FROM unnest($1::text[], $2::boolean[]) AS v(s, e)
         ON CONFLICT (skill) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        [entries.map(([s]) => s), entries.map(([, e]) => e), new Date(at).toISOString(), by],
      );
    }
    return this.getAutoAssign();
  }
}
