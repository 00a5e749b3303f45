import { Injectable } from '@nestjs/common';
import { haversineM } from '../../common/geo.js';
import { DeviceDirectory } from '../../devices/device-directory.js';
import { FleetUnitsService } from '../../fleet/fleet-units.service.js';
import { AssetStateStore } from '../../map/asset-state.store.js';
import { RulesEngine } from '../../rules-engine/rules-engine.service.js';
import { ROUTING_DEFAULTS } from '../routing.defaults.js';
import { RoutingException, RoutingExceptionCode } from '../routing.exception.js';
import { PlansRepository } from './plans.repository.js';
import type { BinInput, SiteInput, VehicleInput } from './problem-builder.js';

/**
 * Reads what a plan is built from: the zone's bins (registry + rules-engine forecast, else the map's
 * latest reading), the chosen vehicles (fleet, with live position and load), their depots and
 * unload sites (base map; septic tankers: registered disposal sites).
 */
@Injectable()
export class PlanInputsService {
  constructor(
    private readonly directory: DeviceDirectory,
    private readonly units: FleetUnitsService,
    private readonly latest: AssetStateStore,
    private readonly rules: RulesEngine,
    private readonly repository: PlansRepository,
  ) {}

  /** Bins (or septic tanks, for a septic fleet) of the zone. */
  async bins(zone: string, kind: 'bin' | 'septic', now: number): Promise<BinInput[]> {
    await this.directory.ready();
    const out: BinInput[] = [];
    for (const d of this.directory.all()) {
      if (d.revoked || d.kind !== kind || d.zone !== zone) continue;
      out.push(this.binOf(d.deviceId, now)!);
    }
    return out.sort((a, b) => a.deviceId.localeCompare(b.deviceId));
  }

  binOf(deviceId: string, now: number): BinInput | null {
    const d = this.directory.get(deviceId);
    if (!d || (d.kind !== 'bin' && d.kind !== 'septic')) return null;
    const a = d.attributes;
    const capacityL = d.kind === 'septic' ? (typeof a.tankM3 === 'number' ? a.tankM3 * 1000 : ROUTING_DEFAULTS.SEPTIC_CAPACITY_L) : (a.capacityL ?? ROUTING_DEFAULTS.BIN_CAPACITY_L);
    const base = { deviceId: d.deviceId, kind: d.kind, name: typeof a.name === 'string' ? a.name : d.deviceId, lat: d.lat, lon: d.lon, capacityL };
    const f = this.rules.forecastFor(d.deviceId, now);
    if (f) return { ...base, fillPct: f.fillPct, ratePctPerH: f.ratePctPerH, fittedAt: f.fittedAt };
    const state = this.latest.get(d.deviceId);
    const v = state?.values?.[d.kind === 'septic' ? 'levelPct' : 'fillPct'];
    return { ...base, fillPct: typeof v === 'number' ? v : null, ratePctPerH: null, fittedAt: state?.ts ?? now };
  }

  async vehicles(vehicleIds: readonly string[]): Promise<(VehicleInput & { skill: string })[]> {
    const [depots, transfers] = await Promise.all([this.repository.basemapSites('depot'), this.repository.basemapSites('transfer')]);
    const disposal: SiteInput[] = this.units.disposalSites().map((s) => ({ id: s.id, name: s.name, lat: s.lat, lon: s.lon }));
    const out: (VehicleInput & { skill: string })[] = [];
    for (const id of vehicleIds) {
      const v = await this.units.getVehicle(id).catch(() => null);
      if (!v) throw new RoutingException(RoutingExceptionCode.VEHICLE_NOT_FOUND, `vehicleIds: no vehicle "${id}" is registered`);
      const device = this.directory.get(v.deviceId);
      const here = v.position ?? (device ? { lat: device.lat, lon: device.lon } : null);
      out.push({
        vehicleId: v.vehicleId,
        name: v.name,
        deviceId: v.deviceId,
        skill: v.skill,
        capacityKg: v.capacityKg,
        shift: v.shift,
        position: v.position ? { lat: v.position.lat, lon: v.position.lon } : null,
        loadKg: v.loadKg,
        depot: depotOf(device?.attributes.depot, here, depots, v.vehicleId),
        unloadSites: v.skill === 'septic' ? disposal : transfers,
      });
    }
    return out;
  }
}

/** The truck's `attributes.depot` feature; else the nearest depot; else where the truck is. */
export function depotOf(named: unknown, here: { lat: number; lon: number } | null, depots: SiteInput[], vehicleId: string): SiteInput {
  const byName = typeof named === 'string' ? depots.find((d) => d.id === named) : undefined;
  if (byName) return byName;
  if (here && depots.length) return depots.reduce((best, d) => (haversineM(here, d) < haversineM(here, best) ? d : best));
  if (here) return { id: `truck:${vehicleId}`, name: null, lat: here.lat, lon: here.lon };
  throw new RoutingException(RoutingExceptionCode.VEHICLE_NOT_FOUND, `vehicleIds: vehicle "${vehicleId}" has no depot and no known position`);
}
