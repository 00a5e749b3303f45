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
  /** `objects` (default): MapSnapshot; `columns`: MapSnapshotColumns. */
  format: z.enum(['objects', 'columns']).optional(),
});
export type MapSnapshotQuery = z.infer<typeof mapSnapshotQuerySchema>;



/**
 * `GET /api/map/snapshot?format=columns`: the same snapshot as columns, one group per device kind
 * (each with only its kind's reading fields). 100,000 assets as objects are ~18 MB of JSON, mostly
 * repeated keys; as columns they are a fraction of that and parse without an object per asset,
 * which is what the map's first render waits for. Row i of a group is one AssetState.
 */
export interface MapSnapshotKindColumns {
  kind: DeviceKind;
  ids: string[];
  names: (string | null)[];
  /** Index into MapSnapshotColumns.zones, -1 for none. */
  zone: number[];
  lat: number[];
  lon: number[];
  online: (0 | 1)[];
  /** null before the first reading (then the asset has no values). */
  ts: (number | null)[];
  /** One column per reading field seen in this group; null where an asset has no such value. */
  values: Record<string, (number | boolean | null)[]>;
}

export interface MapSnapshotColumns {
  format: 'columns';
  at: number;
  zones: string[];
  groups: MapSnapshotKindColumns[];
  trucks: TruckPositionEvent[];
}

/** The object snapshot as columns (rows keep their order within each kind). */
export function mapSnapshotColumns(snapshot: MapSnapshot): MapSnapshotColumns {
  const zones: string[] = [];
  const zoneIndex = new Map<string, number>();
  const groups = new Map<DeviceKind, MapSnapshotKindColumns>();
  for (const d of snapshot.devices) {
    let g = groups.get(d.kind);
    if (!g) groups.set(d.kind, (g = { kind: d.kind, ids: [], names: [], zone: [], lat: [], lon: [], online: [], ts: [], values: {} }));
    const row = g.ids.length;
    g.ids.push(d.id);
    g.names.push(d.name);
    let z = -1;
    if (d.zone !== null) {
      z = zoneIndex.get(d.zone) ?? -1;
      if (z < 0) zoneIndex.set(d.zone, (z = zones.push(d.zone) - 1));
    }
    g.zone.push(z);
    g.lat.push(d.lat);
    g.lon.push(d.lon);
    g.online.push(d.online ? 1 : 0);
    g.ts.push(d.ts);
    for (const column of Object.values(g.values)) column.push(null);
    if (d.values) {
      for (const [field, value] of Object.entries(d.values)) {
        let column = g.values[field];
        if (!column) g.values[field] = column = new Array<number | boolean | null>(row + 1).fill(null);
        column[row] = value;
      }
    }
  }
  return { format: 'columns', at: snapshot.at, zones, groups: [...groups.values()], trucks: snapshot.trucks };
}

/** Columns back to the object snapshot (devices grouped by kind). */
export function mapSnapshotFromColumns(c: MapSnapshotColumns): MapSnapshot {
  const devices: AssetState[] = [];
  for (const g of c.groups) {
    const fields = Object.entries(g.values);
    for (let i = 0; i < g.ids.length; i++) {
      let values: ReadingValues | null = null;
      if (g.ts[i] !== null) {
        values = {};
        for (const [field, column] of fields) if (column[i] !== null && column[i] !== undefined) values[field] = column[i]!;
      }
      const z = g.zone[i]!;
      devices.push({ id: g.ids[i]!, kind: g.kind, name: g.names[i]!, zone: z >= 0 ? c.zones[z]! : null, lat: g.lat[i]!, lon: g.lon[i]!, online: g.online[i] === 1, ts: g.ts[i]!, values });
    }
  }
  return { at: c.at, devices, trucks: c.trucks };
}
