import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { ZoneGeometry } from '@sanitation/contracts';

export interface IndexedZone {
  id: string;
  geometry: ZoneGeometry;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
}

/** Bounding box of a Polygon/MultiPolygon: [minLon, minLat, maxLon, maxLat]. */
export function geometryBbox(geometry: ZoneGeometry): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      if (lon < box[0]) box[0] = lon;
      if (lat < box[1]) box[1] = lat;
      if (lon > box[2]) box[2] = lon;
      if (lat > box[3]) box[3] = lat;
    }
  }
  return box;
}

/** True when (lon, lat) lies in the zone (boundary counts as inside); the bbox rejects most zones cheaply. */
export function zoneContains(zone: IndexedZone, lon: number, lat: number): boolean {
  const [w, s, e, n] = zone.bbox;
  if (lon < w || lon > e || lat < s || lat > n) return false;
  return booleanPointInPolygon([lon, lat], zone.geometry);
}

/** The zones in memory, in id order (overlapping zones: the first id wins, deterministically). */
export class ZoneIndex {
  private zones: IndexedZone[] = [];

  replace(zones: readonly IndexedZone[]): void {
    this.zones = [...zones].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  upsert(zones: readonly IndexedZone[]): void {
    const byId = new Map(this.zones.map((z) => [z.id, z]));
    for (const z of zones) byId.set(z.id, z);
    this.replace([...byId.values()]);
  }

  locate(lon: number, lat: number): string | null {
    for (const zone of this.zones) if (zoneContains(zone, lon, lat)) return zone.id;
    return null;
  }

  get size(): number {
    return this.zones.length;
  }
}
