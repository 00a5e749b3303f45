import type { Basemap } from '@sanitation/contracts';
import { estimateDistanceM, secondsAt } from './straight-line.provider.js';
import { StreetDijkstra } from './street-dijkstra.js';
import { buildStreetGraph, snapToGraph, type Snap, type StreetGraph } from './street-graph.js';
import type { TravelOptions } from './travel.defaults.js';
import type { LonLat, TravelMatrix } from './travel-time.provider.js';

interface MatrixWork {
  points: readonly LonLat[];
  snaps: (Snap | null)[];
  /** graph nodes at the ends of the points' segments: a run may stop once all are settled */
  targets: number[];
  result: TravelMatrix;
}

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
    const m = this.startMatrix(points);
    for (let i = 0; i < points.length; i++) this.matrixRow(m, i);
    return m.result;
  }

  /**
   * The same matrix, giving the event loop a turn every `sliceMs` of work (a few hundred points on a
   * city graph take seconds). Each row is computed in one go, so interleaved calls do not mix.
   */
  async matrixAsync(points: readonly LonLat[], sliceMs = 20): Promise<TravelMatrix> {
    const m = this.startMatrix(points);
    let sliceStart = performance.now();
    for (let i = 0; i < points.length; i++) {
      this.matrixRow(m, i);
      if (performance.now() - sliceStart > sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return m.result;
  }

  private startMatrix(points: readonly LonLat[]): MatrixWork {
    const n = points.length;
    const snaps = points.map((p) => this.snap(p));
    const targets: number[] = [];
    for (const s of snaps) if (s) targets.push(this.graph.segA[s.seg]!, this.graph.segB[s.seg]!);
    const result: TravelMatrix = { size: n, distanceM: new Float64Array(n * n), durationS: new Float64Array(n * n), snapped: snaps.map((s) => s !== null), source: 'street-graph' };
    return { points, snaps, targets, result };
  }

  private matrixRow({ points, snaps, targets, result }: MatrixWork, i: number): void {
    const n = points.length;
    const { distanceM, durationS } = result;
    const from = snaps[i];
    if (from) this.dijkstra.run(from, targets);
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const to = snaps[j];
      const leg = from && to ? this.dijkstra.legTo(to) : null;
      if (!from || !to || !leg || !Number.isFinite(leg.durationS)) {
        const d = estimateDistanceM(points[i]!, points[j]!, this.o.DETOUR_FACTOR);
        distanceM[i * n + j] = d;
        durationS[i * n + j] = secondsAt(d, this.o.AVERAGE_KMH);
        continue;
      }
      distanceM[i * n + j] = from.accessM + leg.distanceM + to.accessM;
      durationS[i * n + j] = this.accessS(from.accessM) + leg.durationS + this.accessS(to.accessM);
    }
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
