import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  deviceImportSchema,
  type CredentialSyncResponse,
  type Device,
  type DeviceImportResponse,
  type DeviceListResponse,
  type ListDevicesQuery,
  type RegisterDeviceRequest,
  type RegisterDeviceResponse,
  type RotateSecretResponse,
} from '@sanitation/contracts';
import { generateDeviceSecret, hashDeviceSecret } from '@sanitation/contracts/credentials';
import { issuePath } from '../common/zod-validation.pipe.js';
import { DeviceDirectory } from './device-directory.js';
import { DevicePresenceStore } from './device-presence.store.js';
import { DevicesException, DevicesExceptionCode } from './devices.exception.js';
import { DevicesRepository, type NewDevice } from './devices.repository.js';
import { ZONE_LOCATOR, type ZoneLocator } from './zone-locator.js';

const featureSchema = deviceImportSchema.shape.features.element;

@Injectable()
export class DevicesService {
  constructor(
    private readonly repository: DevicesRepository,
    private readonly presence: DevicePresenceStore,
    @Optional() private readonly directory?: DeviceDirectory,
    @Optional() @Inject(ZONE_LOCATOR) private readonly zones?: ZoneLocator,
  ) {}

  /** A device without a zone of its own takes the zone its location lies in. */
  private zoneFor(zone: string | undefined, lon: number, lat: number): string | null {
    return zone ?? this.zones?.locate(lon, lat) ?? null;
  }

  private remember(device: Device): void {
    const { deviceId, kind, lat, lon, zone, attributes, status } = device;
    this.directory?.upsert({ deviceId, kind, lat, lon, zone, attributes, revoked: status === 'revoked' });
  }

  async register(request: RegisterDeviceRequest): Promise<RegisterDeviceResponse> {
    const secret = generateDeviceSecret();
    const device = await this.repository.insert({
      id: request.id,
      kind: request.kind,
      name: request.name,
      lat: request.lat,
      lon: request.lon,
      zone: this.zoneFor(request.zone, request.lon, request.lat),
      attributes: request.attributes ?? {},
      secretHash: hashDeviceSecret(secret),
    });
    if (!device) {
      throw new DevicesException(DevicesExceptionCode.DEVICE_ALREADY_EXISTS, `device "${request.id}" already exists`);
    }
    this.remember(device);
    return { device: this.withPresence(device), secret };
  }

  /**
   * Imports a GeoJSON FeatureCollection. The envelope was validated by the pipe; each feature is
   * validated here so one bad feature is reported by index and the others still go in.
   */
  async import(features: readonly unknown[]): Promise<DeviceImportResponse> {
    const errors: DeviceImportResponse['errors'] = [];
    const firstIndexById = new Map<string, number>();
    const candidates: { index: number; device: NewDevice; secret: string }[] = [];
    features.forEach((raw, index) => {
      const parsed = featureSchema.safeParse(raw);
      if (!parsed.success) {
        const rawId = (raw as { properties?: { id?: unknown } } | null)?.properties?.id;
        errors.push({
          index,
          ...(typeof rawId === 'string' ? { deviceId: rawId } : {}),
          error: parsed.error.issues
            .map((i) => `${issuePath(['features', index, ...i.path])}: ${i.message}`)
            .join('; '),
        });
        return;
      }
      const { properties, geometry } = parsed.data;
      const earlier = firstIndexById.get(properties.id);
      if (earlier !== undefined) {
        errors.push({ index, deviceId: properties.id, error: `duplicate id "${properties.id}" (also feature ${earlier})` });
        return;
      }
      firstIndexById.set(properties.id, index);
      const secret = generateDeviceSecret();
      candidates.push({
        index,
        secret,
        device: {
          id: properties.id,
          kind: properties.kind,
          name: properties.name,
          lon: geometry.coordinates[0],
          lat: geometry.coordinates[1],
          zone: this.zoneFor(properties.zone, geometry.coordinates[0], geometry.coordinates[1]),
          attributes: properties.attributes ?? {},
          secretHash: hashDeviceSecret(secret),
        },
      });
    });
    const inserted = new Set(await this.repository.insertMany(candidates.map((c) => c.device)));
    for (const c of candidates) {
      const { id, kind, lat, lon, zone, attributes } = c.device;
      if (inserted.has(id)) this.directory?.upsert({ deviceId: id, kind, lat, lon, zone, attributes, revoked: false });
    }
    const created: DeviceImportResponse['created'] = [];
    for (const c of candidates) {
      if (inserted.has(c.device.id)) created.push({ deviceId: c.device.id, secret: c.secret });
      else errors.push({ index: c.index, deviceId: c.device.id, error: `device "${c.device.id}" already exists` });
    }
    errors.sort((a, b) => a.index - b.index);
    return { created, errors };
  }

  async list(query: ListDevicesQuery): Promise<DeviceListResponse> {
    const { items, total } = await this.repository.list(query);
    return { items: items.map((d) => this.withPresence(d)), total };
  }

  async get(id: string): Promise<Device> {
    const device = await this.repository.findById(id);
    if (!device) throw DevicesException.notFound(id);
    return this.withPresence(device);
  }

  async rotateSecret(id: string): Promise<RotateSecretResponse> {
    const secret = generateDeviceSecret();
    const device = await this.repository.updateSecretHash(id, hashDeviceSecret(secret));
    if (!device) throw DevicesException.notFound(id);
    return { deviceId: id, secret };
  }

  async revoke(id: string): Promise<Device> {
    const device = await this.repository.revoke(id);
    if (!device) throw DevicesException.notFound(id);
    this.remember(device);
    return this.withPresence(device);
  }

  /** `since` is the opaque cursor of a previous answer (a decimal revision); absent = full list. */
  async credentials(since: string | undefined): Promise<CredentialSyncResponse> {
    if (since !== undefined && since !== '' && !/^\d{1,19}$/.test(since)) {
      throw new DevicesException(DevicesExceptionCode.INVALID_CURSOR, `since: "${since}" is not a cursor returned by this endpoint`);
    }
    const full = since === undefined || since === '';
    const { cursor, devices } = await this.repository.credentialsSince(full ? null : BigInt(since));
    return { cursor, full, devices };
  }

  private withPresence(device: Device): Device {
    const online = this.presence.get(device.deviceId);
    return online === undefined ? device : { ...device, online };
  }
}
