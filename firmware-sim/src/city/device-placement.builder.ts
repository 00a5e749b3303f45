import type { DeviceKind } from '@sanitation/contracts';
import type { Rng } from '../shared/rng.js';
import { offsetM, round6, type LatLon } from '../shared/geo.js';
import type { Cabinet, DeviceSpec, Site, StreetEdge, StreetNode, ZoneType } from './city.types.js';
import type { ZoneGrid } from './zones.builder.js';
import { deviceCounts } from './device-mix.js';

const LAMPS_PER_CABINET = 30;
const LAMP_SPACING_M = 35;
/** Every n-th truck is a septic tanker. */
const TANKER_EVERY = 4;
/** A vacuum tanker carries several times a refuse truck's payload (sewage is dense). */
const TANKER_PAYLOAD_FACTOR = 3;
/** Nominal reporting intervals, seconds of sim time (also sent as the `reportIntervalS` attribute). */
export const REPORT_INTERVAL_S: Record<DeviceKind, number> = {
  bin: 900,
  toilet: 600,
  septic: 1800,
  streetlight: 900,
  truck: 30,
};

const SITE_WEIGHT: Record<DeviceKind, Partial<Record<ZoneType, number>>> = {
  bin: { commercial: 3, mixed: 2, residential: 1.5, industrial: 0.7, park: 1 },
  toilet: { commercial: 3, mixed: 1.5, residential: 1, industrial: 0.3, park: 2.5 },
  septic: { commercial: 0.5, mixed: 1, residential: 2, industrial: 2, park: 1 },
  streetlight: {},
  truck: {},
};

export const deviceId = (kind: DeviceKind, n: number) => `${kind}-${String(n).padStart(5, '0')}`;

interface PlacementInput {
  total: number;
  center: LatLon;
  half: number;
  nodes: StreetNode[];
  edges: StreetEdge[];
  grid: ZoneGrid;
  depots: Site[];
  rng: Rng;
}

export function placeDevices(input: PlacementInput): { devices: DeviceSpec[]; cabinets: Cabinet[] } {
  const { nodes, grid, rng, center, half } = input;
  const counts = deviceCounts(input.total);
  const devices: DeviceSpec[] = [];
  const clamp = (v: number) => Math.max(-half, Math.min(half, v));
  const at = (x: number, y: number) => {
    const cx = clamp(x);
    const cy = clamp(y);
    const ll = offsetM(center, cx, cy);
    return { lat: round6(ll.lat), lon: round6(ll.lon), zone: grid.zoneAt(cx, cy).id };
  };

  // Weighted node picking per kind, so e.g. bins crowd commercial blocks.
  const pickerFor = (kind: DeviceKind) => {
    const cumulative: number[] = [];
    let sum = 0;
    for (const node of nodes) {
      sum += SITE_WEIGHT[kind][grid.zoneAt(node.x, node.y).type] ?? 1;
      cumulative.push(sum);
    }
    return () => {
      const r = rng.next() * sum;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      return nodes[lo]!;
    };
  };

  const kerbside = (kind: 'bin' | 'toilet' | 'septic', n: number, attributes: () => DeviceSpec['attributes']) => {
    const pick = pickerFor(kind);
    for (let k = 1; k <= n; k++) {
      const node = pick();
      // A few metres off the junction, on the pavement: well inside a truck's 30 m reach.
      const angle = rng.range(0, 2 * Math.PI);
      const dist = rng.range(3, 12);
      const p = at(node.x + Math.cos(angle) * dist, node.y + Math.sin(angle) * dist);
      const id = deviceId(kind, k);
      devices.push({ id, kind, name: `${kind[0]!.toUpperCase()}${kind.slice(1)} ${String(k).padStart(5, '0')}`, ...p, nodeId: node.id, attributes: attributes() });
    }
  };

  kerbside('bin', counts.bin, () => ({ capacityL: rng.chance(0.7) ? 240 : 660, reportIntervalS: REPORT_INTERVAL_S.bin }));
  kerbside('toilet', counts.toilet, () => ({ stalls: rng.int(4, 16), reportIntervalS: REPORT_INTERVAL_S.toilet }));
  kerbside('septic', counts.septic, () => ({ tankM3: rng.pick([20, 30, 50, 75, 100]), reportIntervalS: REPORT_INTERVAL_S.septic }));

  const cabinets = placeStreetlights(input, counts.streetlight, devices, at);

  // Trucks: parked at the depots. Every TANKER_EVERY-th is a septic tanker (vacuum truck); each
  // group shares the zones out among itself (round robin): bins for collection trucks, tanks for tankers.
  const zoneIds = grid.zones.map((z) => z.id);
  // Fleets of 2–3 trucks still get one tanker (the last).
  const isTanker = (k: number) => counts.truck >= 2 && (k % TANKER_EVERY === 0 || (counts.truck < TANKER_EVERY && k === counts.truck));
  const tankers = Array.from({ length: counts.truck }, (_, i) => i + 1).filter(isTanker);
  const collectors = Array.from({ length: counts.truck }, (_, i) => i + 1).filter((k) => !isTanker(k));
  const shareZones = (group: number[], k: number) => {
    const i = group.indexOf(k);
    // More zones than trucks: each truck takes every n-th zone; more trucks than zones: they share.
    return group.length <= zoneIds.length ? zoneIds.filter((_, z) => z % group.length === i) : [zoneIds[i % zoneIds.length]!];
  };
  for (let k = 1; k <= counts.truck; k++) {
    const depot = input.depots[(k - 1) % input.depots.length]!;
    const node = nodes[depot.nodeId]!;
    const tanker = isTanker(k);
    const plate = `浙A·${tanker ? 'S' : 'D'}${String(k).padStart(4, '0')}`;
    const payloadKg = rng.pick([3000, 5000, 8000]) * (tanker ? TANKER_PAYLOAD_FACTOR : 1);
    devices.push({
      id: deviceId('truck', k),
      kind: 'truck',
      name: `${tanker ? 'Tanker' : 'Truck'} ${plate}`,
      ...at(node.x, node.y),
      nodeId: node.id,
      attributes: { plate, payloadKg, reportIntervalS: REPORT_INTERVAL_S.truck, depot: depot.id, vehicleType: tanker ? 'tanker' : 'collection' },
      serviceZones: shareZones(tanker ? tankers : collectors, k),
    });
  }
  return { devices, cabinets };
}

/**
 * Lamps along arterials first (then local streets nearest the centre), every ~35 m, numbered in
 * street order so each run of ~30 consecutive lamps shares a feeder cabinet, as in the field.
 */
function placeStreetlights(
  input: PlacementInput,
  count: number,
  devices: DeviceSpec[],
  at: (x: number, y: number) => { lat: number; lon: number; zone: string },
): Cabinet[] {
  const { nodes, edges, rng } = input;
  const ordered = [...edges].sort((a, b) => {
    if (a.cls !== b.cls) return a.cls === 'arterial' ? -1 : 1;
    if (a.cls === 'local') {
      const da = Math.hypot(nodes[a.from]!.x, nodes[a.from]!.y);
      const db = Math.hypot(nodes[b.from]!.x, nodes[b.from]!.y);
      if (da !== db) return da - db;
    }
    return a.name === b.name ? a.id - b.id : a.name < b.name ? -1 : 1;
  });
  const arterialLength = edges.filter((e) => e.cls === 'arterial').reduce((s, e) => s + e.lengthM, 0);
  // Spread lamps over all arterials when there are few; never closer than 35 m.
  const spacing = Math.max(LAMP_SPACING_M, arterialLength / Math.max(1, count));
  const lamps: { x: number; y: number; nodeId: number; arterial: boolean }[] = [];
  for (const edge of ordered) {
    if (lamps.length >= count) break;
    const a = nodes[edge.from]!;
    const b = nodes[edge.to]!;
    for (let d = spacing / 2; d < edge.lengthM && lamps.length < count; d += spacing) {
      const f = d / edge.lengthM;
      lamps.push({ x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, nodeId: f < 0.5 ? a.id : b.id, arterial: edge.cls === 'arterial' });
    }
  }
  // Tiny cities: reuse positions with an offset rather than fail.
  for (let k = 0; lamps.length < count; k++) {
    const base = lamps[k % Math.max(1, lamps.length)] ?? { x: 0, y: 0, nodeId: 0, arterial: true };
    lamps.push({ ...base, x: base.x + 8, y: base.y + 8 });
  }
  const cabinets: Cabinet[] = [];
  const groups = Math.max(1, Math.round(count / LAMPS_PER_CABINET));
  lamps.forEach((lamp, i) => {
    // Even split: cabinet sizes differ by at most one lamp.
    const g = Math.floor((i * groups) / count);
    const cabinetId = `cab-${String(g + 1).padStart(4, '0')}`;
    const pos = at(lamp.x, lamp.y);
    if (!cabinets[g]) cabinets[g] = { id: cabinetId, zone: pos.zone, lat: pos.lat, lon: pos.lon, lampIds: [] };
    const id = deviceId('streetlight', i + 1);
    cabinets[g]!.lampIds.push(id);
    devices.push({
      id,
      kind: 'streetlight',
      name: `Streetlight ${String(i + 1).padStart(5, '0')}`,
      ...pos,
      nodeId: lamp.nodeId,
      attributes: { cabinetId, ratedPowerW: lamp.arterial ? rng.pick([150, 250]) : 100, reportIntervalS: REPORT_INTERVAL_S.streetlight },
    });
  });
  return cabinets;
}
