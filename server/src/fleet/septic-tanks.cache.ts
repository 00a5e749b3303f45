import { Injectable } from '@nestjs/common';
import type { LatLon } from '@sanitation/contracts';
import { DevicesRepository } from '../devices/devices.repository.js';
import { FLEET_DEFAULTS } from './fleet.defaults.js';
import { withinM } from '../common/geo.js';

export interface TankLocation extends LatLon {
  id: string;
}

const PAGE = 10_000;
/** Wall ms: a stop near no known tank reloads the list if it is at least this old. */
const RETRY_AFTER_MS = 5_000;

/**
 * Where the registered septic tanks are, for matching a tanker's stop. Reloaded when older than
 * SEPTIC_REFRESH_MS on the process's monotonic clock (cache freshness, not domain time).
 */
@Injectable()
export class SepticTanksCache {
  private tanks: TankLocation[] = [];
  private loadedAt = -Infinity;

  constructor(private readonly devices: DevicesRepository) {}

  async near(at: LatLon, radiusM: number): Promise<TankLocation[]> {
    if (performance.now() - this.loadedAt > FLEET_DEFAULTS.SEPTIC_REFRESH_MS) await this.reload();
    let found = this.tanks.filter((t) => withinM(t, at, radiusM));
    // Nothing here: maybe a tank registered since the last load.
    if (!found.length && performance.now() - this.loadedAt > RETRY_AFTER_MS) {
      await this.reload();
      found = this.tanks.filter((t) => withinM(t, at, radiusM));
    }
    return found;
  }

  private async reload(): Promise<void> {
    const tanks: TankLocation[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const { items } = await this.devices.list({ kind: 'septic', status: 'active', limit: PAGE, offset });
      for (const d of items) tanks.push({ id: d.deviceId, lat: d.lat, lon: d.lon });
      if (items.length < PAGE) break;
    }
    this.tanks = tanks;
    this.loadedAt = performance.now();
  }
}
