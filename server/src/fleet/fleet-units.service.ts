import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  registerCrewSchema,
  type Crew,
  type CrewPositionRequest,
  type DisposalSite,
  type Job,
  type RegisterCrewRequest,
  type RegisterDisposalSiteRequest,
  type RegisterVehicleRequest,
  type Vehicle,
} from '@sanitation/contracts';
import type { AuthenticatedOperator } from '../auth/auth.service.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { FleetLiveStore } from './fleet-live.store.js';
import { FLEET_JOBS, type FleetJobs } from './fleet-jobs.port.js';
import { FleetException, FleetExceptionCode } from './fleet.exception.js';
import { FleetRepository, type CrewRecord, type VehicleRecord } from './fleet.repository.js';
import type { UnitForRanking } from './ranking.js';

/** Wall ms: a stop of an unknown truck reloads the units if the copy is at least this old. */
const UNKNOWN_RELOAD_MS = 5_000;

/** `vehicle:<id>` / `crew:<id>` → open jobs assigned to it. */
export type ActiveJobCounts = Map<string, number>;
export const unitKey = (unitType: 'vehicle' | 'crew', unitId: string): string => `${unitType}:${unitId}`;

export function countActiveJobs(open: readonly Job[]): ActiveJobCounts {
  const counts: ActiveJobCounts = new Map();
  for (const job of open) {
    if (!job.assignee) continue;
    const key = unitKey(job.assignee.unitType, job.assignee.unitId);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Registration and listing of vehicles, crews and disposal sites, with their live state. Keeps a
 * small in-memory copy of the registered units (hundreds, not thousands) for the reading path;
 * `refresh()` reloads it (after each registration here, and from the periodic proposal task so
 * units registered through another server instance appear too).
 */
@Injectable()
export class FleetUnitsService implements OnModuleInit {
  private vehicles: VehicleRecord[] = [];
  private vehiclesByDevice = new Map<string, VehicleRecord>();
  private crews: CrewRecord[] = [];
  private sites: DisposalSite[] = [];
  /** Monotonic wall ms of the last reload (cache freshness, not domain time). */
  private refreshedAt = -Infinity;

  constructor(
    private readonly repository: FleetRepository,
    private readonly devices: DevicesRepository,
    private readonly live: FleetLiveStore,
    @Inject(FLEET_JOBS) private readonly jobs: FleetJobs,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const [vehicles, crews, sites] = await Promise.all([this.repository.listVehicles(), this.repository.listCrews(), this.repository.listDisposalSites()]);
    this.vehicles = vehicles;
    this.vehiclesByDevice = new Map(vehicles.map((v) => [v.deviceId, v]));
    this.crews = crews;
    this.sites = sites;
    this.refreshedAt = performance.now();
  }

  vehicleByDevice(deviceId: string): VehicleRecord | undefined {
    return this.vehiclesByDevice.get(deviceId);
  }

  /**
   * Like vehicleByDevice, but an unknown truck reloads the units first (at most every few seconds):
   * a vehicle registered through another server instance is known here by its first stop.
   */
  async vehicleByDeviceFresh(deviceId: string): Promise<VehicleRecord | undefined> {
    const known = this.vehiclesByDevice.get(deviceId);
    if (known || performance.now() - this.refreshedAt < UNKNOWN_RELOAD_MS) return known;
    await this.refresh();
    return this.vehiclesByDevice.get(deviceId);
  }

  disposalSites(): readonly DisposalSite[] {
    return this.sites;
  }

  /** Every unit in the form the ranking takes, with live positions and loads. */
  unitsForRanking(active: ActiveJobCounts): UnitForRanking[] {
    const units: UnitForRanking[] = [];
    for (const v of this.vehicles) {
      const truck = this.live.truck(v.deviceId);
      units.push({
        unitType: 'vehicle',
        unitId: v.vehicleId,
        name: v.name,
        skill: v.skill,
        shift: v.shift,
        position: truck ? { lat: truck.position.lat, lon: truck.position.lon } : null,
        capacityKg: v.capacityKg,
        loadKg: truck?.loadKg ?? null,
        activeJobs: active.get(unitKey('vehicle', v.vehicleId)) ?? 0,
      });
    }
    for (const c of this.crews) {
      units.push({
        unitType: 'crew',
        unitId: c.crewId,
        name: c.name,
        skill: c.skill,
        shift: c.shift,
        position: c.reported ? { lat: c.reported.lat, lon: c.reported.lon } : c.base,
        capacityJobs: c.capacityJobs,
        activeJobs: active.get(unitKey('crew', c.crewId)) ?? 0,
      });
    }
    return units;
  }

  // ── vehicles ──

  async registerVehicle(request: RegisterVehicleRequest): Promise<Vehicle> {
    const device = await this.devices.findById(request.deviceId);
    if (!device) throw new FleetException(FleetExceptionCode.DEVICE_NOT_FOUND, `deviceId: device "${request.deviceId}" is not registered`);
    if (device.kind !== 'truck') {
      throw new FleetException(FleetExceptionCode.DEVICE_NOT_A_TRUCK, `deviceId: device "${request.deviceId}" is a ${device.kind}, not a truck`);
    }
    const inserted = await this.repository.insertVehicle(request);
    if (!inserted) {
      if (await this.repository.findVehicle(request.id)) {
        throw new FleetException(FleetExceptionCode.VEHICLE_ALREADY_EXISTS, `id: vehicle "${request.id}" already exists`);
      }
      const holder = await this.repository.findVehicleByDevice(request.deviceId);
      throw new FleetException(FleetExceptionCode.DEVICE_IN_USE, `deviceId: device "${request.deviceId}" is already the GPS unit of vehicle "${holder?.vehicleId ?? '?'}"`);
    }
    await this.refresh();
    return this.toVehicle(inserted, countActiveJobs([]));
  }

  async listVehicles(): Promise<Vehicle[]> {
    const [records, open] = await Promise.all([this.repository.listVehicles(), this.jobs.listOpen()]);
    const active = countActiveJobs(open);
    return records.map((v) => this.toVehicle(v, active));
  }

  async getVehicle(id: string): Promise<Vehicle> {
    const record = await this.repository.findVehicle(id);
    if (!record) throw new FleetException(FleetExceptionCode.VEHICLE_NOT_FOUND, `vehicle "${id}" not found`);
    return this.toVehicle(record, countActiveJobs(await this.jobs.listOpen()));
  }

  private toVehicle(v: VehicleRecord, active: ActiveJobCounts): Vehicle {
    const truck = this.live.truck(v.deviceId);
    return {
      ...v,
      position: truck ? truck.position : null,
      loadKg: truck?.loadKg ?? null,
      activeJobs: active.get(unitKey('vehicle', v.vehicleId)) ?? 0,
    };
  }

  // ── crews ──

  async registerCrew(request: RegisterCrewRequest): Promise<Crew> {
    const parsed = registerCrewSchema.parse(request); // defaults for members/capacityJobs when called in-process
    const inserted = await this.repository.insertCrew(parsed);
    if (!inserted) throw new FleetException(FleetExceptionCode.CREW_ALREADY_EXISTS, `id: crew "${request.id}" already exists`);
    await this.refresh();
    return toCrew(inserted, 0);
  }

  async listCrews(): Promise<Crew[]> {
    const [records, open] = await Promise.all([this.repository.listCrews(), this.jobs.listOpen()]);
    const active = countActiveJobs(open);
    return records.map((c) => toCrew(c, active.get(unitKey('crew', c.crewId)) ?? 0));
  }

  async getCrew(id: string): Promise<Crew> {
    const record = await this.repository.findCrew(id);
    if (!record) throw new FleetException(FleetExceptionCode.CREW_NOT_FOUND, `crew "${id}" not found`);
    const active = countActiveJobs(await this.jobs.listOpen());
    return toCrew(record, active.get(unitKey('crew', id)) ?? 0);
  }

  /** A crew member's phone reports where the crew is; role crew may report only for a crew it belongs to. */
  async reportCrewPosition(id: string, position: CrewPositionRequest, operator: AuthenticatedOperator): Promise<Crew> {
    const record = await this.repository.findCrew(id);
    if (!record) throw new FleetException(FleetExceptionCode.CREW_NOT_FOUND, `crew "${id}" not found`);
    if (operator.role === 'crew' && !record.members.includes(operator.username)) {
      throw new FleetException(FleetExceptionCode.NOT_A_CREW_MEMBER, `${operator.username} is not a member of crew "${id}"`);
    }
    const updated = await this.repository.setCrewPosition(id, position, this.clock.now());
    await this.refresh();
    const active = countActiveJobs(await this.jobs.listOpen());
    return toCrew(updated ?? record, active.get(unitKey('crew', id)) ?? 0);
  }

  // ── disposal sites ──

  async registerDisposalSite(request: RegisterDisposalSiteRequest): Promise<DisposalSite> {
    const site: DisposalSite = { ...request, radiusM: request.radiusM ?? 80 };
    const inserted = await this.repository.insertDisposalSite(site);
    if (!inserted) throw new FleetException(FleetExceptionCode.DISPOSAL_SITE_ALREADY_EXISTS, `id: disposal site "${request.id}" already exists`);
    await this.refresh();
    return inserted;
  }

  listDisposalSites(): Promise<DisposalSite[]> {
    return this.repository.listDisposalSites();
  }
}

function toCrew(c: CrewRecord, activeJobs: number): Crew {
  const { reported, ...rest } = c;
  return { ...rest, position: reported ? { lat: reported.lat, lon: reported.lon, ts: reported.at } : null, activeJobs };
}
