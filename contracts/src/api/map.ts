import { z } from 'zod';
import type { TruckPositionEvent } from '../live.js';
import type { ReadingValues } from '../telemetry.js';
import { DEVICE_KINDS, type DeviceKind } from '../topics.js';

/**
 * What the ops dashboard needs besides the live stream: its runtime settings, the city's base map
 * (streets, zones, depots, disposal sites, cabinets as GeoJSON, so the map draws with no tiles from
 * outside), and one snapshot of every asset's latest state to start from.
 */

/** `GET /api/ui-config` (public: the login page needs it). */
export interface UiConfig {
  /** Set → the dashboard renders with mapbox-gl and `mapboxStyle`; null → maplibre-gl with the local base map. */
  mapboxToken: string | null;
  mapboxStyle: string;
  /** IANA zone the city's clocks read in, e.g. Asia/Shanghai. */
  cityTimeZone: string;
  defaultLocale: 'zh-CN' | 'en';
  /** Server time (ms) when this was served, and the simulated-clock speed (1 = real time). */
  serverNow: number;
  clockSpeed: number;
}

export const BASEMAP_LAYERS = ['street', 'zone', 'depot', 'transfer', 'disposal', 'cabinet'] as const;
export type BasemapLayer = (typeof BASEMAP_LAYERS)[number];
export const MAX_BASEMAP_FEATURES = 50_000;

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const position = z.tuple([lon, lat]).rest(z.number());
const geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: position }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(position).min(2)) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position).min(4)).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position).min(4)).min(1)) }),
]);

export const basemapFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry,
  properties: z
    .object({
      layer: z.enum(BASEMAP_LAYERS),
      id: z.string().min(1).max(128),
      name: z.string().max(200).optional(),
      /** Streets: `main` | `secondary` | `local` (drawn wider to narrower). */
      class: z.string().max(32).optional(),
    })
    .catchall(z.union([z.string().max(200), z.number(), z.boolean(), z.null()])),
});
export type BasemapFeature = z.infer<typeof basemapFeatureSchema>;

/** `PUT /api/map/basemap` (admin) replaces the base map; `GET /api/map/basemap` returns it. */
export const basemapSchema = z.object({
  type: z.literal('FeatureCollection'),
  properties: z.object({
    name: z.string().min(1).max(200),
    /** [lon, lat] the map opens on. */
    center: z.tuple([lon, lat]),
    /** [west, south, east, north]. */
    bbox: z.tuple([lon, lat, lon, lat]),
  }),
  features: z.array(basemapFeatureSchema).max(MAX_BASEMAP_FEATURES),
});
export type Basemap = z.infer<typeof basemapSchema>;

/** One asset's latest known state, as in the snapshot. `ts`/`values` are null before its first reading. */
export interface AssetState {
  id: string;
  kind: DeviceKind;
  name: string | null;
  zone: string | null;
  lat: number;
  lon: number;
  online: boolean;
  ts: number | null;
  values: ReadingValues | null;
}

/** `GET /api/map/snapshot`: every registered asset (trucks too) with its latest state, plus truck positions. */
export interface MapSnapshot {
  /** Server clock (ms) when the snapshot was taken: live events after it supersede it. */
  at: number;
  devices: AssetState[];
  trucks: TruckPositionEvent[];
}

export const mapSnapshotQuerySchema = z.object({
  kind: z.enum(DEVICE_KINDS).optional(),
  zone: z.string().min(1).max(64).optional(),
});
export type MapSnapshotQuery = z.infer<typeof mapSnapshotQuerySchema>;


