import type { Snap, StreetGraph } from './street-graph.js';

/** Min-heap of (key, node) on typed arrays; stale entries are skipped by the caller (lazy deletion). */
class NodeHeap {
  private keys = new Float64Array(1024);
  private vals = new Int32Array(1024);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  push(key: number, val: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.keys = keys;
      const vals = new Int32Array(this.size * 2);
      vals.set(this.vals);
      this.vals = vals;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.vals[i] = this.vals[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.vals[i] = val;
  }

  /** Pops the minimum; returns its node, its key in `topKey`. */
  topKey = 0;
  pop(): number {
    const val = this.vals[0]!;
    this.topKey = this.keys[0]!;
    const lastKey = this.keys[--this.size]!;
    const lastVal = this.vals[this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= lastKey) break;
      this.keys[i] = this.keys[child]!;
      this.vals[i] = this.vals[child]!;
      i = child;
    }
    this.keys[i] = lastKey;
    this.vals[i] = lastVal;
    return val;
  }
}

export interface Leg {
  durationS: number;
  distanceM: number;
  /** true when the fastest way runs along the shared segment without touching a node */
  direct: boolean;
  /** the graph node the leg enters the target segment from (−1 when direct or unreachable) */
  viaNode: number;
}

/**
 * Time-based shortest paths from one snapped point to every node (one-to-all Dijkstra), with the
 * distance driven along each fastest path. Buffers are reused between runs: a plan's matrix is one
 * run per point.
 */
export class StreetDijkstra {
  readonly timeS: Float64Array;
  readonly distM: Float64Array;
  /** segment by which each node was reached (−1 = a start node) */
  readonly predSeg: Int32Array;
  private readonly heap = new NodeHeap();
  private source: Snap | null = null;

  constructor(private readonly g: StreetGraph) {
    this.timeS = new Float64Array(g.nodeCount);
    this.distM = new Float64Array(g.nodeCount);
    this.predSeg = new Int32Array(g.nodeCount);
    this.targetMark = new Int32Array(g.nodeCount);
  }

  /** Per node: the run generation in which it is a target (cheap reset between runs). */
  private readonly targetMark: Int32Array;
  private generation = 0;

  /** From `source` to all nodes; with `targets`, stops once every one of those nodes is settled. */
  run(source: Snap, targets?: readonly number[]): void {
    const g = this.g;
    this.source = source;
    this.timeS.fill(Infinity);
    this.heap.clear();
    const a = g.segA[source.seg]!;
    const b = g.segB[source.seg]!;
    this.relax(a, source.t * g.segTimeS[source.seg]!, source.t * g.segLenM[source.seg]!, -1);
    this.relax(b, (1 - source.t) * g.segTimeS[source.seg]!, (1 - source.t) * g.segLenM[source.seg]!, -1);
    let pending = -1;
    if (targets) {
      const gen = ++this.generation;
      pending = 0;
      for (const t of targets) {
        if (this.targetMark[t] === gen) continue;
        this.targetMark[t] = gen;
        pending++;
      }
    }
    while (this.heap.size > 0) {
      const u = this.heap.pop();
      const tu = this.heap.topKey;
      if (tu > this.timeS[u]!) continue; // stale entry
      if (pending > 0 && this.targetMark[u] === this.generation && --pending === 0) return;
      const du = this.distM[u]!;
      for (let k = g.adjStart[u]!; k < g.adjStart[u + 1]!; k++) {
        const s = g.adjSeg[k]!;
        const v = g.segA[s] === u ? g.segB[s]! : g.segA[s]!;
        this.relax(v, tu + g.segTimeS[s]!, du + g.segLenM[s]!, s);
      }
    }
  }

  private relax(v: number, t: number, d: number, seg: number): void {
    if (t >= this.timeS[v]!) return;
    this.timeS[v] = t;
    this.distM[v] = d;
    this.predSeg[v] = seg;
    this.heap.push(t, v);
  }

  /** Network leg from the last run's source to `target` (access distances not included). */
  legTo(target: Snap): Leg {
    const g = this.g;
    const s = target.seg;
    const a = g.segA[s]!;
    const b = g.segB[s]!;
    const viaA = this.timeS[a]! + target.t * g.segTimeS[s]!;
    const viaB = this.timeS[b]! + (1 - target.t) * g.segTimeS[s]!;
    let best: Leg =
      viaA <= viaB
        ? { durationS: viaA, distanceM: this.distM[a]! + target.t * g.segLenM[s]!, direct: false, viaNode: a }
        : { durationS: viaB, distanceM: this.distM[b]! + (1 - target.t) * g.segLenM[s]!, direct: false, viaNode: b };
    if (this.source && this.source.seg === s) {
      const frac = Math.abs(this.source.t - target.t);
      if (frac * g.segTimeS[s]! <= best.durationS) best = { durationS: frac * g.segTimeS[s]!, distanceM: frac * g.segLenM[s]!, direct: true, viaNode: -1 };
    }
    if (!Number.isFinite(best.durationS)) return { durationS: Infinity, distanceM: Infinity, direct: false, viaNode: -1 };
    return best;
  }

  /** Nodes from the source's segment to `node`, in driving order (after a run that reached it). */
  nodesTo(node: number): number[] {
    const g = this.g;
    const out: number[] = [];
    let u = node;
    for (let guard = 0; guard <= g.nodeCount; guard++) {
      out.push(u);
      const s = this.predSeg[u]!;
      if (s < 0) break;
      u = g.segA[s] === u ? g.segB[s]! : g.segA[s]!;
    }
    return out.reverse();
  }
}
