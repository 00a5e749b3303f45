import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Contractor, CreateContractorRequest, ZoneCollection, ZoneFeature, ZoneImportResponse } from '@sanitation/contracts';
import { DeviceDirectory } from '../devices/device-directory.js';
import type { ZoneLocator } from '../devices/zone-locator.js';
import { geometryBbox, zoneContains, ZoneIndex, type IndexedZone } from './zone-index.js';
import { ZonesException, ZonesExceptionCode } from './zones.exception.js';
import { toIndexed, ZonesRepository } from './zones.repository.js';

@Injectable()
export class ZonesService implements OnModuleInit, ZoneLocator {
  private readonly index = new ZoneIndex();
  private contractorByZone = new Map<string, string | null>();

  constructor(
    private readonly repository: ZonesRepository,
    private readonly directory: DeviceDirectory,
  ) {}

  async onModuleInit(): Promise<void> {
    const rows = await this.repository.listZones();
    this.index.replace(rows.map(toIndexed));
    this.contractorByZone = new Map(rows.map((r) => [r.id, r.contractor]));
  }

  locate(lon: number, lat: number): string | null {
    return this.index.locate(lon, lat);
  }

  /** Contractor serving a zone (from memory). */
  contractorOf(zone: string | null): string | null {
    return zone === null ? null : (this.contractorByZone.get(zone) ?? null);
  }

  /**
   * Upserts the zones, then moves every registered device whose location lies in one of them into
   * it (one batch UPDATE). Overlaps inside one import: the lowest zone id wins, as in `locate`.
   */
  async import(features: readonly ZoneFeature[]): Promise<ZoneImportResponse> {
    const seen = new Map<string, number>();
    features.forEach((f, index) => {
      const earlier = seen.get(f.properties.id);
      if (earlier !== undefined) {
        throw new ZonesException(ZonesExceptionCode.DUPLICATE_ZONE, `features.${index}.properties.id: duplicate id "${f.properties.id}" (also feature ${earlier})`);
      }
      seen.set(f.properties.id, index);
    });
    const zones = features.map((feature) => ({ feature, bbox: geometryBbox(feature.geometry) }));
    await this.repository.upsertZones(zones);
    const indexed: IndexedZone[] = zones.map((z) => ({ id: z.feature.properties.id, geometry: z.feature.geometry, bbox: z.bbox }));
    this.index.upsert(indexed);
    for (const z of zones) this.contractorByZone.set(z.feature.properties.id, z.feature.properties.contractor ?? null);

    await this.directory.ready();
    const sorted = [...indexed].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const changes: { deviceId: string; zone: string }[] = [];
    for (const device of this.directory.all()) {
      const zone = sorted.find((z) => zoneContains(z, device.lon, device.lat));
      if (zone && zone.id !== device.zone) changes.push({ deviceId: device.deviceId, zone: zone.id });
    }
    await this.repository.setDeviceZones(changes);
    await this.directory.reload(changes.map((c) => c.deviceId));
    return { upserted: features.map((f) => f.properties.id), devicesRezoned: changes.length };
  }

  async list(): Promise<ZoneCollection> {
    const rows = await this.repository.listZones();
    return {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature' as const,
        geometry: r.geometry,
        properties: {
          id: r.id,
          name: r.name,
          ...(r.responsible ? { responsible: r.responsible } : {}),
          ...(r.contractor ? { contractor: r.contractor } : {}),
          updatedAt: ZonesRepository.iso(r.updated_at),
        },
      })),
    };
  }

  async createContractor(request: CreateContractorRequest): Promise<Contractor> {
    const created = await this.repository.insertContractor(request.id, request.name);
    if (!created) throw new ZonesException(ZonesExceptionCode.CONTRACTOR_EXISTS, `contractor "${request.id}" already exists`);
    return created;
  }

  listContractors(): Promise<Contractor[]> {
    return this.repository.listContractors();
  }
}
