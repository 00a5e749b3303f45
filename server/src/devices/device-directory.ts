import { Inject, Injectable } from '@nestjs/common';
import type { DeviceAttributes, DeviceKind } from '@sanitation/contracts';
import { DATABASE, type Database } from '../database/database.js';

/** What the rules engine needs of a device, per reading, without a query. */
export interface DeviceInfo {
  deviceId: string;
  kind: DeviceKind;
  lat: number;
  lon: number;
  zone: string | null;
  attributes: DeviceAttributes;
  revoked: boolean;
}

type Listener = (device: DeviceInfo) => void;

/** Unknown ids are looked up again at most this often, ms (a flood of unregistered ids stays cheap). */
const MISS_RETRY_MS = 5_000;

/**
 * In-memory copy of the registry: loaded once, kept current by DevicesService (register, import,
 * revoke) and the zones module (re-zoning); a miss triggers one background lookup. Single process:
 * a device registered on another server instance is picked up by the miss lookup.
 */
@Injectable()
export class DeviceDirectory {
  private readonly devices = new Map<string, DeviceInfo>();
  private readonly misses = new Map<string, number>();
  private readonly listeners: Listener[] = [];
  private loading: Promise<void> | null = null;

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Loads every device once; later calls wait for the same load. */
  ready(): Promise<void> {
    this.loading ??= this.db
      .query<DeviceRow>('SELECT id, kind, lat, lon, zone, attributes, status FROM devices')
      .then((rows) => {
        for (const row of rows) this.devices.set(row.id, toInfo(row));
      });
    return this.loading;
  }

  get(deviceId: string): DeviceInfo | undefined {
    const device = this.devices.get(deviceId);
    if (!device) this.lookUp(deviceId);
    return device;
  }

  all(): IterableIterator<DeviceInfo> {
    return this.devices.values();
  }

  get size(): number {
    return this.devices.size;
  }

  /** Called after a committed change to a device. */
  upsert(device: DeviceInfo): void {
    this.devices.set(device.deviceId, device);
    this.misses.delete(device.deviceId);
    for (const listener of this.listeners) listener(device);
  }

  /** Reloads the given ids from the database (after a bulk change). */
  async reload(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    const rows = await this.db.query<DeviceRow>('SELECT id, kind, lat, lon, zone, attributes, status FROM devices WHERE id = ANY($1::text[])', [ids]);
    for (const row of rows) this.upsert(toInfo(row));
  }

  /** `listener` hears every added or changed device (the rules engine starts watching new ones). */
  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  private lookUp(deviceId: string): void {
    const now = Date.now();
    const last = this.misses.get(deviceId);
    if (last !== undefined && now - last < MISS_RETRY_MS) return;
    this.misses.set(deviceId, now);
    void this.reload([deviceId]).catch(() => undefined);
  }
}

interface DeviceRow {
  id: string;
  kind: DeviceKind;
  lat: number;
  lon: number;
  zone: string | null;
  attributes: DeviceAttributes | null;
  status: string;
}

function toInfo(row: DeviceRow): DeviceInfo {
  return {
    deviceId: row.id,
    kind: row.kind,
    lat: Number(row.lat),
    lon: Number(row.lon),
    zone: row.zone,
    attributes: row.attributes ?? {},
    revoked: row.status === 'revoked',
  };
}
