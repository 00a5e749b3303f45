import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { AssetState, Basemap, DeviceKind, MapSnapshot, MapSnapshotQuery, TruckPositionEvent } from '@sanitation/contracts';
import { CLOCK, type Clock } from '../clock/clock.js';
import { DeviceDirectory, type DeviceInfo } from '../devices/device-directory.js';
import { DevicePresenceStore } from '../devices/device-presence.store.js';
import { DevicesRepository } from '../devices/devices.repository.js';
import { AssetStateStore, type LatestState } from './asset-state.store.js';
import { BasemapRepository } from './basemap.repository.js';
import { DeviceNamesRepository } from './device-names.repository.js';
import { MapException, MapExceptionCode } from './map.exception.js';

interface Placed {
  deviceId: string;
  kind: DeviceKind;
  zone: string | null;
  lat: number;
  lon: number;
}

/**
 * The dashboard's map data: the base map (stored), and a snapshot of every asset built from the
 * in-memory device directory, a cached name list and the latest-state store, so a snapshot of
 * 100,000 devices costs no query per device (at most one, after the registry changed).
 */
@Injectable()
export class MapService implements OnModuleInit {
  private names: Map<string, string> | null = null;
  private namesLoading: Promise<Map<string, string>> | null = null;
  /** Bumped on every registry change, so a load that raced a change is not kept. */
  private registryGeneration = 0;

  constructor(
    private readonly basemaps: BasemapRepository,
    private readonly deviceNames: DeviceNamesRepository,
    private readonly devices: DevicesRepository,
    private readonly directory: DeviceDirectory,
    private readonly presence: DevicePresenceStore,
    private readonly latest: AssetStateStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Register, import, revoke and re-zoning all go through the directory: drop the cached names.
    this.directory.onChange(() => {
      this.registryGeneration++;
      this.names = null;
      this.namesLoading = null;
    });
  }

  async putBasemap(basemap: Basemap, username: string): Promise<void> {
    await this.basemaps.save(basemap, this.clock.now(), username);
  }

  /** The stored base map as JSON text. */
  async basemapJson(): Promise<string> {
    const json = await this.basemaps.loadJson();
    if (json === null) {
      throw new MapException(
        MapExceptionCode.BASEMAP_NOT_FOUND,
        'no base map has been uploaded yet: an admin uploads one with PUT /api/map/basemap (the simulator does it when it provisions the demo city)',
      );
    }
    return json;
  }

  /** Active (not revoked) devices, filtered by kind and zone, and the latest truck positions among them. */
  async snapshot(query: MapSnapshotQuery): Promise<MapSnapshot> {
    await this.directory.ready();
    const names = await this.nameMap();
    const at = this.clock.now();
    const devices: AssetState[] = [];
    for (const d of this.directory.all()) {
      if (!this.matches(d, query)) continue;
      devices.push(this.toAssetState(d, names.get(d.deviceId) ?? null));
    }
    const trucks: TruckPositionEvent[] = [];
    if (query.kind === undefined || query.kind === 'truck') {
      for (const position of this.latest.truckPositions()) {
        const device = this.directory.get(position.deviceId);
        if (device && this.matches(device, query)) trucks.push(position);
      }
    }
    return { at, devices, trucks };
  }

  /** One registered device (revoked ones too: a crew may still look at their last readings). */
  async asset(deviceId: string): Promise<AssetState> {
    const device = await this.devices.findById(deviceId);
    if (!device) throw new MapException(MapExceptionCode.ASSET_NOT_FOUND, `no device with id "${deviceId}"`);
    return this.toAssetState(device, device.name);
  }

  private matches(d: DeviceInfo, query: MapSnapshotQuery): boolean {
    return !d.revoked && (query.kind === undefined || d.kind === query.kind) && (query.zone === undefined || d.zone === query.zone);
  }

  private toAssetState(d: Placed, name: string | null): AssetState {
    const state: LatestState | undefined = this.latest.get(d.deviceId);
    const announced = this.presence.get(d.deviceId);
    // The rules engine's verdict (silence-based) when it has one; a device whose MQTT will says
    // offline is offline either way.
    const online = state ? state.online && announced !== false : announced === true;
    return {
      id: d.deviceId,
      kind: d.kind,
      name,
      zone: d.zone,
      lat: d.lat,
      lon: d.lon,
      online,
      ts: state?.ts ?? null,
      values: state?.values ?? null,
    };
  }

  private async nameMap(): Promise<Map<string, string>> {
    if (this.names) return this.names;
    if (!this.namesLoading) {
      const generation = this.registryGeneration;
      const loading = this.deviceNames.all().then((names) => {
        if (generation === this.registryGeneration) this.names = names;
        return names;
      });
      this.namesLoading = loading;
      loading.then(
        () => this.namesLoading === loading && (this.namesLoading = null),
        () => this.namesLoading === loading && (this.namesLoading = null),
      );
    }
    return this.namesLoading;
  }
}
