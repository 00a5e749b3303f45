import { z } from 'zod';
import { DEVICE_ID_PATTERN } from '../topics.js';

/** Grid zones (网格) and the contractors that serve them. */

const id = z.string().regex(DEVICE_ID_PATTERN, 'must match [A-Za-z0-9_-]{1,64}');
const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const position = z.tuple([lon, lat]).rest(z.number());
/** A closed ring: ≥ 4 positions, first = last (RFC 7946 §3.1.6). */
const ring = z
  .array(position)
  .min(4, 'a linear ring needs at least 4 positions')
  .refine((r) => r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1], 'a linear ring must end where it starts');
const polygon = z.array(ring).min(1, 'a polygon needs an outer ring');

export const zoneGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: polygon }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(polygon).min(1) }),
]);
export type ZoneGeometry = z.infer<typeof zoneGeometrySchema>;

export const zoneFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: zoneGeometrySchema,
  properties: z.object({
    id,
    name: z.string().min(1).max(200),
    /** The responsible person (街长/路长). */
    responsible: z.string().min(1).max(200).optional(),
    /** Contractor id; created if unknown. */
    contractor: id.optional(),
  }),
});
export type ZoneFeature = z.infer<typeof zoneFeatureSchema>;

export const MAX_ZONE_FEATURES = 5_000;

/** `POST /api/zones/import`: upserts by id; the whole request is refused if any feature is invalid. */
export const zoneImportSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(zoneFeatureSchema).max(MAX_ZONE_FEATURES),
});
export type ZoneImportRequest = z.infer<typeof zoneImportSchema>;

export interface ZoneImportResponse {
  /** Zones inserted or replaced. */
  upserted: string[];
  /** Devices whose zone changed because their location lies in an imported zone. */
  devicesRezoned: number;
}

/** `GET /api/zones`: a FeatureCollection with the same properties plus `updatedAt`. */
export interface ZoneCollection {
  type: 'FeatureCollection';
  features: (ZoneFeature & { properties: ZoneFeature['properties'] & { updatedAt: string } })[];
}

export const createContractorSchema = z.object({ id, name: z.string().min(1).max(200) });
export type CreateContractorRequest = z.infer<typeof createContractorSchema>;
export interface Contractor {
  contractorId: string;
  name: string;
  createdAt: string;
}
