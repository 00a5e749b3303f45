import type { Basemap, BasemapFeature, DeviceImportRequest } from '@sanitation/contracts';
import { round6 } from '../shared/geo.js';
import type { City } from './city.types.js';

type Geometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'LineString'; coordinates: [number, number][] }
  | { type: 'Polygon'; coordinates: [number, number][][] };
export interface CityFeature {
  type: 'Feature';
  geometry: Geometry;
  properties: Record<string, unknown> & { layer: 'street' | 'zone' | 'depot' | 'transfer' | 'disposal' | 'cabinet' | 'device' };
}
export interface CityFeatureCollection {
  type: 'FeatureCollection';
  properties: { name: string; seed: number; center: [number, number]; bbox: [number, number, number, number] };
  features: CityFeature[];
}

/**
 * The whole city as one GeoJSON FeatureCollection; `properties.layer` tells the dashboard what to
 * draw. `devices: false` leaves the devices out (the base map: the server knows them already).
 */
export function cityToGeoJson(city: City, { devices = true }: { devices?: boolean } = {}): CityFeatureCollection {
  const features: CityFeature[] = [];
  for (const zone of city.zones) {
    features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [zone.ring] }, properties: { layer: 'zone', id: zone.id, name: zone.name, zoneType: zone.type } });
  }
  for (const edge of city.edges) {
    const a = city.nodes[edge.from]!;
    const b = city.nodes[edge.to]!;
    features.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: [[round6(a.lon), round6(a.lat)], [round6(b.lon), round6(b.lat)]] },
      properties: { layer: 'street', id: `street-${edge.id}`, name: edge.name, class: edge.cls, lengthM: Math.round(edge.lengthM) },
    });
  }
  for (const site of [...city.depots, city.transfer, ...city.disposalSites]) {
    const extra = site.radiusM !== undefined ? { radiusM: site.radiusM } : {};
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [site.lon, site.lat] }, properties: { layer: site.kind, id: site.id, name: site.name, ...extra } });
  }
  for (const cab of city.cabinets) {
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [cab.lon, cab.lat] }, properties: { layer: 'cabinet', id: cab.id, zone: cab.zone, lamps: cab.lampIds.length } });
  }
  for (const d of devices ? city.devices : []) {
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [d.lon, d.lat] },
      properties: { layer: 'device', id: d.id, kind: d.kind, name: d.name, zone: d.zone, attributes: d.attributes },
    });
  }
  const b = city.bounds;
  return {
    type: 'FeatureCollection',
    properties: { name: city.name, seed: city.seed, center: [city.center.lon, city.center.lat], bbox: [b.minLon, b.minLat, b.maxLon, b.maxLat] },
    features,
  };
}

const isScalar = (v: unknown): v is string | number | boolean | null => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * Body for `PUT /api/map/basemap` (contracts `basemapSchema`): streets, zones, depots, transfer
 * station, disposal sites and cabinets, no devices. Feature properties are flat scalars, as the
 * schema requires.
 */
export function cityToBasemap(city: City): Basemap {
  const geo = cityToGeoJson(city, { devices: false });
  const features: BasemapFeature[] = [];
  for (const f of geo.features) {
    const { layer, id, ...rest } = f.properties;
    if (layer === 'device') continue;
    const properties: BasemapFeature['properties'] = { layer, id: String(id) };
    for (const [key, value] of Object.entries(rest)) if (isScalar(value)) properties[key] = value;
    features.push({ type: 'Feature', geometry: f.geometry, properties });
  }
  const { name, center, bbox } = geo.properties;
  return { type: 'FeatureCollection', properties: { name, center, bbox }, features };
}

/** Body for `POST /api/devices/import` (contracts `deviceImportSchema`). */
export function cityToDeviceImport(city: City, ids?: ReadonlySet<string>): DeviceImportRequest {
  return {
    type: 'FeatureCollection',
    features: city.devices
      .filter((d) => !ids || ids.has(d.id))
      .map((d) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [d.lon, d.lat] as [number, number] },
        properties: { id: d.id, kind: d.kind, name: d.name, zone: d.zone, attributes: d.attributes },
      })),
  };
}
