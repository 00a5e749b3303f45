import { z } from 'zod';
import { DEVICE_ID_PATTERN, DEVICE_KINDS } from '../topics.js';

const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);

/** Kind-specific attributes, e.g. a streetlight's cabinet or a bin's capacity. */
export const deviceAttributesSchema = z
  .object({
    capacityL: z.number().positive().optional(), // bin volume, litres
    cabinetId: z.string().min(1).max(64).optional(), // streetlight feeder cabinet
    ratedPowerW: z.number().positive().optional(), // streetlight lamp rating
    stalls: z.number().int().positive().optional(), // toilet
    tankM3: z.number().positive().optional(), // septic tank volume, cubic metres
    plate: z.string().max(16).optional(), // truck licence plate
    payloadKg: z.number().positive().optional(), // truck payload
    reportIntervalS: z.number().int().positive().optional(), // nominal reporting interval, seconds
  })
  .catchall(z.union([z.string(), z.number(), z.boolean()]));
export type DeviceAttributes = z.infer<typeof deviceAttributesSchema>;

export const registerDeviceSchema = z.object({
  id: z.string().regex(DEVICE_ID_PATTERN, 'must match [A-Za-z0-9_-]{1,64}'),
  kind: z.enum(DEVICE_KINDS),
  name: z.string().min(1).max(200),
  lat,
  lon,
  zone: z.string().min(1).max(64).optional(),
  attributes: deviceAttributesSchema.optional(),
});
export type RegisterDeviceRequest = z.infer<typeof registerDeviceSchema>;

export interface Device {
  deviceId: string;
  kind: (typeof DEVICE_KINDS)[number];
  name: string;
  lat: number;
  lon: number;
  zone: string | null;
  attributes: DeviceAttributes;
  /** `active` or `revoked`. */
  status: 'active' | 'revoked';
  createdAt: string;
  lastSeenAt: string | null;
  /**
   * Last retained `status` the server saw on the device's MQTT status topic; absent when it has
   * not seen one since it started (the server keeps this in memory only).
   */
  online?: boolean;
}

/** The secret is returned once, at registration; only its hash is stored. */
export interface RegisterDeviceResponse {
  device: Device;
  secret: string;
}

/** Most features one import request may carry. */
export const MAX_IMPORT_FEATURES = 20_000;

/** Bulk import: a GeoJSON FeatureCollection of Points; properties carry id, kind, name, zone, attributes. */
export const deviceImportSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.object({
        type: z.literal('Feature'),
        geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([lon, lat]).rest(z.number()) }),
        properties: z.object({
          id: z.string().regex(DEVICE_ID_PATTERN, 'must match [A-Za-z0-9_-]{1,64}'),
          kind: z.enum(DEVICE_KINDS),
          name: z.string().min(1).max(200),
          zone: z.string().min(1).max(64).optional(),
          attributes: deviceAttributesSchema.optional(),
        }),
      }),
    )
    .max(MAX_IMPORT_FEATURES),
});
export type DeviceImportRequest = z.infer<typeof deviceImportSchema>;

export interface DeviceImportResponse {
  created: { deviceId: string; secret: string }[];
  /** Features refused, with the reason (e.g. duplicate id). Valid features are still imported. */
  errors: { index: number; deviceId?: string; error: string }[];
}

/** Login. */
export const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export type LoginRequest = z.infer<typeof loginSchema>;
export interface LoginResponse {
  token: string;
  expiresAt: string;
  user: { username: string; role: 'admin' | 'dispatcher' | 'crew' | 'viewer' };
}

/**
 * Gateway ↔ server credential sync (`GET /api/internal/credentials?since=<cursor>`, bearer INTERNAL_TOKEN).
 * `cursor` is opaque and monotonic; `full` means the list replaces the gateway's cache.
 */
export const deviceCredentialSchema = z.object({
  deviceId: z.string().regex(DEVICE_ID_PATTERN),
  kind: z.enum(DEVICE_KINDS),
  zone: z.string().nullable(),
  secretHash: z.string().min(1),
  revoked: z.boolean(),
});
export type DeviceCredential = z.infer<typeof deviceCredentialSchema>;

export const credentialSyncResponseSchema = z.object({
  cursor: z.string(),
  full: z.boolean(),
  devices: z.array(deviceCredentialSchema),
});
export type CredentialSyncResponse = z.infer<typeof credentialSyncResponseSchema>;

export interface HealthResponse {
  status: 'ok' | 'degraded';
  dependencies: Record<string, { status: 'ok' | 'down'; detail?: string }>;
}

/** `GET /api/devices` query. Numbers arrive as strings and are coerced. */
export const listDevicesQuerySchema = z.object({
  kind: z.enum(DEVICE_KINDS).optional(),
  zone: z.string().min(1).max(64).optional(),
  status: z.enum(['active', 'revoked']).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ListDevicesQuery = z.infer<typeof listDevicesQuerySchema>;
export interface DeviceListResponse {
  items: Device[];
  /** Devices matching the filter, ignoring limit/offset. */
  total: number;
}

/** `POST /api/devices/:id/secret`: a new secret, returned once; the old one stops working. */
export interface RotateSecretResponse {
  deviceId: string;
  secret: string;
}

export const OPERATOR_ROLES = ['admin', 'dispatcher', 'crew', 'viewer'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** `POST /api/auth/operators` (admin): create another operator account. */
export const createOperatorSchema = z.object({
  username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must match [A-Za-z0-9_.-]{1,64}'),
  password: z.string().min(8).max(256),
  role: z.enum(OPERATOR_ROLES),
});
export type CreateOperatorRequest = z.infer<typeof createOperatorSchema>;
export interface OperatorResponse {
  username: string;
  role: OperatorRole;
  createdAt: string;
}
