import type { Basemap } from '@sanitation/contracts';
import { haversineM } from '../../common/geo.js';
import type { TravelOptions } from './travel.defaults.js';
import type { LonLat } from './travel-time.provider.js';

/**
 * The city's street network as a graph over typed arrays, built once per base map. Every line
 * coordinate is a node; coordinates equal after rounding are one node, which is how streets that
 * share a corner connect. Each consecutive coordinate pair is a segment driven both ways at its
 * street class's speed. A local metric projection (equirectangular around the map's centre) is
 * used for snapping only; lengths are haversine.
 */
export interface StreetGraph {
  nodeCount: number;
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  segCount: number;
  segA: Int32Array;
  segB: Int32Array;
  segLenM: Float64Array;
  segTimeS: Float64Array;
  /** CSR adjacency: node i's incident segments are adjSeg[adjStart[i] .. adjStart[i+1]) */
  adjStart: Int32Array;
  adjSeg: Int32Array;
  /** projection: x = (lon − lon0) · kx, y = (lat − lat0) · ky, metres */
  lon0: number;
  lat0: number;
  kx: number;
  ky: number;
  cellM: number;
  /** spatial grid: cell key → segment indices whose bounding box touches the cell */
  grid: Map<number, number[]>;
}

/** Where a point meets the network: segment `seg` at fraction `t` from segA to segB. */
export interface Snap {
  seg: number;
  t: number;
  /** the snapped point */
  lon: number;
  lat: number;
  /** metres from the point to the snapped point */
  accessM: number;
}

const M_PER_DEG = 111_195;
const cellKey = (cx: number, cy: number): number => (cx + 32_768) * 65_536 + (cy + 32_768);

function speedKmh(cls: unknown, o: TravelOptions): number {
  if (cls === 'main') return o.MAIN_KMH;
  if (cls === 'secondary') return o.SECONDARY_KMH;
  return o.LOCAL_KMH;
}

/** Null when the base map has no street lines. */
export function buildStreetGraph(basemap: Basemap, o: TravelOptions): StreetGraph | null {
  const nodeIndex = new Map<string, number>();
  const lons: number[] = [];
  const lats: number[] = [];
  const segA: number[] = [];
  const segB: number[] = [];
  const segKmh: number[] = [];
  const inv = 1 / o.NODE_PRECISION_DEG;
  const node = (c: readonly number[]): number => {
    const key = `${Math.round(c[0]! * inv)},${Math.round(c[1]! * inv)}`;
    let i = nodeIndex.get(key);
    if (i === undefined) {
      i = lons.length;
      nodeIndex.set(key, i);
      lons.push(c[0]!);
      lats.push(c[1]!);
    }
    return i;
  };
  for (const f of basemap.features) {
    if (f.properties.layer !== 'street') continue;
    const g = f.geometry;
    const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
    const kmh = speedKmh(f.properties.class, o);
    for (const line of lines) {
      let prev = node(line[0]!);
      for (let k = 1; k < line.length; k++) {
        const cur = node(line[k]!);
        if (cur !== prev) {
          segA.push(prev);
          segB.push(cur);
          segKmh.push(kmh);
        }
        prev = cur;
      }
    }
  }
  if (segA.length === 0) return null;

  const nodeCount = lons.length;
  const segCount = segA.length;
  const g = {
    nodeCount,
    nodeLon: Float64Array.from(lons),
    nodeLat: Float64Array.from(lats),
    segCount,
    segA: Int32Array.from(segA),
    segB: Int32Array.from(segB),
    segLenM: new Float64Array(segCount),
    segTimeS: new Float64Array(segCount),
    adjStart: new Int32Array(nodeCount + 1),
    adjSeg: new Int32Array(segCount * 2),
  };
  for (let s = 0; s < segCount; s++) {
    const a = g.segA[s]!;
    const b = g.segB[s]!;
    const len = haversineM({ lon: g.nodeLon[a]!, lat: g.nodeLat[a]! }, { lon: g.nodeLon[b]!, lat: g.nodeLat[b]! });
    g.segLenM[s] = len;
    g.segTimeS[s] = len / (segKmh[s]! / 3.6);
    g.adjStart[a + 1]!++;
    g.adjStart[b + 1]!++;
  }
  for (let i = 0; i < nodeCount; i++) g.adjStart[i + 1]! += g.adjStart[i]!;
  const fill = g.adjStart.slice(0, nodeCount);
  for (let s = 0; s < segCount; s++) {
    g.adjSeg[fill[g.segA[s]!]!++] = s;
    g.adjSeg[fill[g.segB[s]!]!++] = s;
  }

  let lon0 = 0;
  let lat0 = 0;
  for (let i = 0; i < nodeCount; i++) {
    lon0 += g.nodeLon[i]!;
    lat0 += g.nodeLat[i]!;
  }
  lon0 /= nodeCount;
  lat0 /= nodeCount;
  const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180);
  const ky = M_PER_DEG;
  const cellM = o.GRID_CELL_M;
  const grid = new Map<number, number[]>();
  for (let s = 0; s < segCount; s++) {
    const a = g.segA[s]!;
    const b = g.segB[s]!;
    const xa = (g.nodeLon[a]! - lon0) * kx;
    const ya = (g.nodeLat[a]! - lat0) * ky;
    const xb = (g.nodeLon[b]! - lon0) * kx;
    const yb = (g.nodeLat[b]! - lat0) * ky;
    for (let cx = Math.floor(Math.min(xa, xb) / cellM); cx <= Math.floor(Math.max(xa, xb) / cellM); cx++) {
      for (let cy = Math.floor(Math.min(ya, yb) / cellM); cy <= Math.floor(Math.max(ya, yb) / cellM); cy++) {
        const key = cellKey(cx, cy);
        const list = grid.get(key);
        if (list) list.push(s);
        else grid.set(key, [s]);
      }
    }
  }
  return { ...g, lon0, lat0, kx, ky, cellM, grid };
}

/** The nearest point on the nearest segment within `maxM` metres, or null. */
export function snapToGraph(g: StreetGraph, p: LonLat, maxM: number): Snap | null {
  const px = (p.lon - g.lon0) * g.kx;
  const py = (p.lat - g.lat0) * g.ky;
  const cx0 = Math.floor(px / g.cellM);
  const cy0 = Math.floor(py / g.cellM);
  const rings = Math.ceil(maxM / g.cellM);
  let best: { seg: number; t: number; d2: number } | null = null;
  for (let r = 0; r <= rings; r++) {
    // Cells in ring r are at least (r − 1) cells away: stop once the best found is nearer than that.
    if (best && Math.sqrt(best.d2) <= (r - 1) * g.cellM) break;
    for (let cx = cx0 - r; cx <= cx0 + r; cx++) {
      for (let cy = cy0 - r; cy <= cy0 + r; cy++) {
        if (Math.max(Math.abs(cx - cx0), Math.abs(cy - cy0)) !== r) continue;
        for (const s of g.grid.get(cellKey(cx, cy)) ?? []) {
          const a = g.segA[s]!;
          const b = g.segB[s]!;
          const xa = (g.nodeLon[a]! - g.lon0) * g.kx;
          const ya = (g.nodeLat[a]! - g.lat0) * g.ky;
          const dx = (g.nodeLon[b]! - g.lon0) * g.kx - xa;
          const dy = (g.nodeLat[b]! - g.lat0) * g.ky - ya;
          const len2 = dx * dx + dy * dy;
          const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - xa) * dx + (py - ya) * dy) / len2));
          const ex = xa + t * dx - px;
          const ey = ya + t * dy - py;
          const d2 = ex * ex + ey * ey;
          if (!best || d2 < best.d2) best = { seg: s, t, d2 };
        }
      }
    }
  }
  if (!best) return null;
  const a = g.segA[best.seg]!;
  const b = g.segB[best.seg]!;
  const lon = g.nodeLon[a]! + best.t * (g.nodeLon[b]! - g.nodeLon[a]!);
  const lat = g.nodeLat[a]! + best.t * (g.nodeLat[b]! - g.nodeLat[a]!);
  const accessM = haversineM(p, { lon, lat });
  if (accessM > maxM) return null;
  return { seg: best.seg, t: best.t, lon, lat, accessM };
}
