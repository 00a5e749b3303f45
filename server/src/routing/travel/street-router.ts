import type { Basemap } from '@sanitation/contracts';
import { estimateDistanceM, secondsAt } from './straight-line.provider.js';
import { StreetDijkstra } from './street-dijkstra.js';
import { buildStreetGraph, snapToGraph, type Snap, type StreetGraph } from './street-graph.js';
import type { TravelOptions } from './travel.defaults.js';
import type { LonLat, TravelMatrix } from './travel-time.provider.js';

/**
 * Matrix and paths over one street graph (pure, synchronous). A point is placed on the nearest
 * street within MAX_SNAP_M; the walk/drive from the point to the street (the access) is added at
 * the local-street speed at both ends. A point that cannot be placed, or a pair with no street
 * path between them (separate networks), gets the straight-line × detour estimate instead, so the
 * solver always sees finite numbers; such points are reported `snapped: false`.
 */
export class StreetRouter {
  private readonly dijkstra: StreetDijkstra;

  private constructor(
    readonly graph: StreetGraph,
    private readonly o: TravelOptions,
  ) {
    this.dijkstra = new StreetDijkstra(graph);
  }

  /** Null when the base map has no streets. */
  static fromBasemap(basemap: Basemap, o: TravelOptions): StreetRouter | null {
    const graph = buildStreetGraph(basemap, o);
    return graph ? new StreetRouter(graph, o) : null;
  }

  snap(p: LonLat): Snap | null {
    return snapToGraph(this.graph, p, this.o.MAX_SNAP_M);
  }

  private accessS(m: number): number {
    return secondsAt(m, this.o.LOCAL_KMH);
  }

  matrix(points: readonly LonLat[]): TravelMatrix {
    const n = points.length;
    const snaps = points.map((p) => this.snap(p));
    const distanceM = new Float64Array(n * n);
    const durationS = new Float64Array(n * n);
    const fallback = (i: number, j: number): void => {
      const d = estimateDistanceM(points[i]!, points[j]!, this.o.DETOUR_FACTOR);
      distanceM[i * n + j] = d;
      durationS[i * n + j] = secondsAt(d, this.o.AVERAGE_KMH);
    };
    for (let i = 0; i < n; i++) {
      const from = snaps[i];
      if (from) this.dijkstra.run(from);
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const to = snaps[j];
        if (!from || !to) {
          fallback(i, j);
          continue;
        }
        const leg = this.dijkstra.legTo(to);
        if (!Number.isFinite(leg.durationS)) {
          fallback(i, j);
          continue;
        }
        distanceM[i * n + j] = from.accessM + leg.distanceM + to.accessM;
        durationS[i * n + j] = this.accessS(from.accessM) + leg.durationS + this.accessS(to.accessM);
      }
    }
    return { size: n, distanceM, durationS, snapped: snaps.map((s) => s !== null), source: 'street-graph' };
  }

  /** [lon, lat] polyline along the fastest street path; the straight segment when either end cannot be placed or there is no path. */
  path(from: LonLat, to: LonLat): [number, number][] {
    const straight: [number, number][] = [
      [from.lon, from.lat],
      [to.lon, to.lat],
    ];
    const a = this.snap(from);
    const b = this.snap(to);
    if (!a || !b) return straight;
    const g = this.graph;
    this.dijkstra.run(a, [g.segA[b.seg]!, g.segB[b.seg]!]);
    const leg = this.dijkstra.legTo(b);
    if (!Number.isFinite(leg.durationS)) return straight;
    const out: [number, number][] = [[from.lon, from.lat]];
    const push = (lon: number, lat: number): void => {
      const last = out[out.length - 1]!;
      if (last[0] !== lon || last[1] !== lat) out.push([lon, lat]);
    };
    push(a.lon, a.lat);
    if (!leg.direct) for (const node of this.dijkstra.nodesTo(leg.viaNode)) push(g.nodeLon[node]!, g.nodeLat[node]!);
    push(b.lon, b.lat);
    push(to.lon, to.lat);
    return out;
  }
}
