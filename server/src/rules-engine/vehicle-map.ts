import type { Queryable } from '../database/database.js';

/** Refresh at most this often on a miss, wall ms. */
const REFRESH_MS = 5_000;

/**
 * truck device id → vehicle id (vehicles.device_id), for truck positions on the live map. Cached;
 * a truck without a vehicle triggers a background refresh at most every few seconds.
 */
export class VehicleMap {
  private byDevice = new Map<string, string>();
  private lastRefresh = 0;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly db: Queryable) {}

  async refresh(): Promise<void> {
    this.lastRefresh = Date.now();
    try {
      const rows = await this.db.query<{ id: string; device_id: string }>('SELECT id, device_id FROM vehicles');
      this.byDevice = new Map(rows.map((r) => [r.device_id, r.id]));
    } catch {
      // vehicles table missing or DB busy: positions go out with vehicleId null meanwhile
    }
  }

  vehicleOf(deviceId: string): string | null {
    const id = this.byDevice.get(deviceId);
    if (id === undefined && !this.refreshing && Date.now() - this.lastRefresh >= REFRESH_MS) {
      this.refreshing = this.refresh().finally(() => (this.refreshing = null));
    }
    return id ?? null;
  }
}
