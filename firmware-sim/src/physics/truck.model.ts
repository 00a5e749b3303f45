import type { TruckTelemetry } from '@sanitation/contracts';
import type { City } from '../city/city.types.js';
import { edgeBetween } from '../city/route.planner.js';
import { bearingDeg, lerp, round6 } from '../shared/geo.js';
import type { Rng } from '../shared/rng.js';
import { round } from './physics.types.js';

export type TruckDestination =
  /** `jobId`: the server's collection job the truck serves there (it reports on_site on arrival). */
  | { kind: 'bin'; binId: string; jobId?: string }
  | { kind: 'septic'; tankId: string }
  | { kind: 'transfer' }
  | { kind: 'disposal'; siteId: string }
  | { kind: 'depot' };
export type TruckPhase = 'parked' | 'idle' | 'driving' | 'collecting' | 'unloading';

export interface TruckParams {
  payloadKg: number;
  depotNode: number;
}

export interface TruckState {
  phase: TruckPhase;
  /** Node the truck is at, or last passed while driving. */
  nodeId: number;
  path: number[];
  /** Index in `path` of the segment being driven (path[i] → path[i+1]). */
  pathIdx: number;
  /** Metres driven along the current segment. */
  segPosM: number;
  dest: TruckDestination | null;
  lat: number;
  lon: number;
  speedKmh: number;
  headingDeg: number;
  ignition: boolean;
  loadKg: number;
  /** End of the current stop (collecting/unloading), epoch ms. */
  busyUntil: number;
  odometerM: number;
}

/** Something the world must resolve after a step (emptying the bins next to a stop). */
export type TruckEvent = { type: 'arrived'; dest: TruckDestination; lat: number; lon: number; t: number } | { type: 'unloaded'; kg: number; t: number };

export const COLLECT_STOP_MS: [number, number] = [60_000, 150_000];
export const UNLOAD_STOP_MS: [number, number] = [10 * 60_000, 20 * 60_000];
/** A vacuum tanker pumping a septic tank: hoses out, pump, hoses in. */
export const PUMP_STOP_MS: [number, number] = [15 * 60_000, 30 * 60_000];

export function initTruck(city: City, p: TruckParams): TruckState {
  const node = city.nodes[p.depotNode]!;
  return {
    phase: 'parked', nodeId: p.depotNode, path: [], pathIdx: 0, segPosM: 0, dest: null, lat: node.lat, lon: node.lon,
    speedKmh: 0, headingDeg: 0, ignition: false, loadKg: 0, busyUntil: 0, odometerM: 0,
  };
}

/** Starts driving along `path` (node ids, starting at the truck's node) towards `dest`. */
export function routeTruck(s: TruckState, path: number[], dest: TruckDestination): TruckState {
  return { ...s, phase: 'driving', ignition: true, path, pathIdx: 0, segPosM: 0, dest };
}

function cruiseKmh(city: City, a: number, b: number, rng: Rng): number {
  const edge = edgeBetween(city, a, b);
  return edge?.cls === 'arterial' ? rng.range(32, 50) : rng.range(15, 28);
}

/**
 * Advances a truck by dt: drives along its path at street-class speeds (crossing several junctions
 * per step if need be), or waits out a stop. Emits `arrived` at the end of a path.
 */
export function stepTruck(s: TruckState, city: City, t: number, dtMs: number, rng: Rng): { state: TruckState; events: TruckEvent[] } {
  const events: TruckEvent[] = [];
  let st = { ...s };
  const end = t + dtMs;
  if (st.phase === 'collecting' || st.phase === 'unloading') {
    if (end < st.busyUntil) return { state: { ...st, speedKmh: 0 }, events };
    if (st.phase === 'unloading') events.push({ type: 'unloaded', kg: st.loadKg, t: st.busyUntil });
    st = { ...st, phase: 'idle', speedKmh: 0, loadKg: st.phase === 'unloading' ? 0 : st.loadKg };
    return { state: st, events };
  }
  if (st.phase !== 'driving') return { state: { ...st, speedKmh: 0 }, events };

  let remainingS = dtMs / 1000;
  let speed = st.speedKmh;
  while (remainingS > 0 && st.pathIdx < st.path.length - 1) {
    const a = st.path[st.pathIdx]!;
    const b = st.path[st.pathIdx + 1]!;
    const na = city.nodes[a]!;
    const nb = city.nodes[b]!;
    const segLen = Math.hypot(na.x - nb.x, na.y - nb.y);
    speed = cruiseKmh(city, a, b, rng);
    const canDrive = (speed / 3.6) * remainingS;
    const left = segLen - st.segPosM;
    if (canDrive < left) {
      st.segPosM += canDrive;
      st.odometerM += canDrive;
      remainingS = 0;
    } else {
      remainingS -= left / (speed / 3.6);
      st.odometerM += left;
      st.pathIdx++;
      st.segPosM = 0;
      st.nodeId = b;
      remainingS = Math.max(0, remainingS - rng.range(0, 8)); // junctions and lights
    }
    const f = segLen > 0 ? st.segPosM / segLen : 0;
    const pos = st.pathIdx < st.path.length - 1 ? lerp(na, nb, f) : nb;
    st.lat = pos.lat;
    st.lon = pos.lon;
    st.headingDeg = bearingDeg(na, nb);
  }
  st.speedKmh = speed;
  if (st.pathIdx >= st.path.length - 1) {
    const node = city.nodes[st.path[st.path.length - 1] ?? st.nodeId]!;
    st = { ...st, lat: node.lat, lon: node.lon, nodeId: node.id, speedKmh: 0, path: [], pathIdx: 0, segPosM: 0 };
    const dest = st.dest ?? { kind: 'depot' as const };
    const arrivedAt = end - remainingS * 1000;
    events.push({ type: 'arrived', dest, lat: st.lat, lon: st.lon, t: arrivedAt });
    if (dest.kind === 'bin') st = { ...st, phase: 'collecting', busyUntil: arrivedAt + rng.range(...COLLECT_STOP_MS) };
    else if (dest.kind === 'septic') st = { ...st, phase: 'collecting', busyUntil: arrivedAt + rng.range(...PUMP_STOP_MS) };
    else if (dest.kind === 'transfer' || dest.kind === 'disposal') st = { ...st, phase: 'unloading', busyUntil: arrivedAt + rng.range(...UNLOAD_STOP_MS) };
    else st = { ...st, phase: 'idle' };
    st.dest = null;
  }
  return { state: st, events };
}

/** Parks the truck (ignition off) — at the depot at the end of the shift. */
export function parkTruck(s: TruckState): TruckState {
  return { ...s, phase: 'parked', ignition: false, speedKmh: 0 };
}

export function readTruck(s: TruckState): Omit<TruckTelemetry, 'ts' | 'seq'> {
  return {
    lat: round6(s.lat),
    lon: round6(s.lon),
    speedKmh: round(s.speedKmh),
    headingDeg: round(s.headingDeg % 360),
    ignition: s.ignition,
    loadKg: Math.round(s.loadKg),
  };
}
