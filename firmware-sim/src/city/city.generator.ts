import { Rng } from '../shared/rng.js';
import { offsetM, round6, type LatLon } from '../shared/geo.js';
import type { City, CityOptions, Site, StreetNode } from './city.types.js';
import { ARTERIAL_EVERY, LOCAL_SPACING_M, buildAdjacency, buildStreetNetwork } from './street-network.builder.js';
import { buildZones } from './zones.builder.js';
import { placeDevices } from './device-placement.builder.js';

/** Radius of a disposal site's geofence, metres (a tanker stopping inside it unloads there). */
export const DISPOSAL_RADIUS_M = 80;

export const HANGZHOU: LatLon = { lat: 30.2741, lon: 120.1551 };

/** City edge length: grows with the fleet (~90 m per √device), 2–12 km. */
export function citySizeM(devices: number): number {
  return Math.min(12_000, Math.max(2_000, Math.sqrt(devices) * 90));
}

function nearestNode(nodes: StreetNode[], x: number, y: number): StreetNode {
  let best = nodes[0]!;
  let bestD = Infinity;
  for (const n of nodes) {
    const d = (n.x - x) ** 2 + (n.y - y) ** 2;
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best;
}

/** Generates the demo city; a pure function of (seed, devices, center). */
export function generateCity(options: CityOptions): City {
  const center = options.center ?? HANGZHOU;
  const rng = Rng.derive(options.seed, 'city');
  // Snap the size to whole arterial blocks so zones line up with arterials.
  const block = LOCAL_SPACING_M * ARTERIAL_EVERY;
  const blocks = Math.max(2, Math.round(citySizeM(options.devices) / block));
  const sizeM = blocks * block;
  const half = sizeM / 2;
  const { nodes, edges } = buildStreetNetwork(center, sizeM, rng);
  const grid = buildZones(center, sizeM, blocks, rng);

  const site = (id: string, name: string, kind: Site['kind'], x: number, y: number): Site => {
    const node = nearestNode(nodes, x, y);
    return { id, name, kind, nodeId: node.id, lat: round6(node.lat), lon: round6(node.lon) };
  };
  const depots = [site('depot-1', 'North-West Sanitation Depot', 'depot', -0.3 * sizeM, 0.3 * sizeM)];
  if (options.devices >= 200) depots.push(site('depot-2', 'South Sanitation Depot', 'depot', 0.25 * sizeM, -0.3 * sizeM));
  const transfer = site('transfer-1', 'East Refuse Transfer Station', 'transfer', 0.45 * sizeM, 0.1 * sizeM);
  const disposalSites = [{ ...site('disposal-1', 'West Sewage Works Reception', 'disposal', -0.45 * sizeM, -0.15 * sizeM), radiusM: DISPOSAL_RADIUS_M }];

  const { devices, cabinets } = placeDevices({ total: options.devices, center, half, nodes, edges, grid, depots, rng });
  const sw = offsetM(center, -half, -half);
  const ne = offsetM(center, half, half);
  return {
    seed: options.seed,
    name: options.name ?? 'Hangzhou demo city',
    center,
    sizeM,
    bounds: { minLat: sw.lat, minLon: sw.lon, maxLat: ne.lat, maxLon: ne.lon },
    nodes,
    edges,
    adjacency: buildAdjacency(nodes.length, edges),
    zones: grid.zones,
    depots,
    transfer,
    disposalSites,
    cabinets,
    devices,
  };
}
