import type { DeviceAttributes, DeviceKind } from '@sanitation/contracts';
import type { LatLon } from '../shared/geo.js';

export type StreetClass = 'arterial' | 'local';
export type ZoneType = 'commercial' | 'residential' | 'mixed' | 'industrial' | 'park';

export interface StreetNode extends LatLon {
  id: number;
  /** Local metres east/north of the city centre (kept for fast spatial maths). */
  x: number;
  y: number;
}

export interface StreetEdge {
  id: number;
  from: number;
  to: number;
  lengthM: number;
  cls: StreetClass;
  name: string;
}

export interface Zone {
  id: string;
  name: string;
  type: ZoneType;
  row: number;
  col: number;
  /** Closed ring of [lon, lat] (GeoJSON order). */
  ring: [number, number][];
}

export interface Site extends LatLon {
  id: string;
  name: string;
  kind: 'depot' | 'transfer' | 'disposal';
  nodeId: number;
  /** Disposal sites: how close a tanker must stop to count as unloading there (chain of custody). */
  radiusM?: number;
}

export interface Cabinet extends LatLon {
  id: string;
  zone: string;
  lampIds: string[];
}

export interface DeviceSpec extends LatLon {
  id: string;
  kind: DeviceKind;
  name: string;
  zone: string;
  /** Street node the device sits at (bins/toilets/septic) or nearest to it; trucks start here. */
  nodeId: number;
  attributes: DeviceAttributes;
  /** Trucks only: the zones whose bins (collection trucks) or septic tanks (tankers) the truck serves. */
  serviceZones?: string[];
}

export interface CityBounds {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

export interface City {
  seed: number;
  name: string;
  center: LatLon;
  sizeM: number;
  bounds: CityBounds;
  nodes: StreetNode[];
  edges: StreetEdge[];
  /** node id → [neighbour node id, edge id][] */
  adjacency: [number, number][][];
  zones: Zone[];
  depots: Site[];
  transfer: Site;
  /** Where septic tankers unload (a sewage treatment works' reception). */
  disposalSites: Site[];
  cabinets: Cabinet[];
  devices: DeviceSpec[];
}

export interface CityOptions {
  seed: number;
  devices: number;
  /** Centre of the demo city; default Hangzhou (30.2741 N, 120.1551 E). */
  center?: LatLon;
  name?: string;
}
