import type { Instance } from './instance.js';
import { markDirty, type RuinState } from './ruin.js';
import type { Route } from './route.js';

const EPS = 1e-7;

/**
 * SWAP* (Vidal 2022): exchange u of route A and v of route B where each goes to its best place in
 * the other route, not necessarily the other's old place. Per route pair, the three cheapest
 * insertion positions of every stop in the other route are precomputed (O(|A|·|B|)), so every
 * (u, v) pair is priced in O(1). Only the best pair of a route pair is applied, then confirmed by
 * the exact evaluation (undone if infeasible or not cheaper). Single-trip routes only.
 */
export class SwapStar {
  private readonly topC: Float64Array;
  private readonly topP: Int32Array;
  private readonly bakA: Int32Array;
  private readonly bakB: Int32Array;

  constructor(private readonly I: Instance) {
    // [side][position][rank]: side 0 = stops of A into B, side 1 = stops of B into A
    this.topC = new Float64Array(2 * (I.S + 2) * 3);
    this.topP = new Int32Array(2 * (I.S + 2) * 3);
    this.bakA = new Int32Array(2 * I.S + 2);
    this.bakB = new Int32Array(2 * I.S + 2);
  }

  run(routes: Route[], st: RuinState): boolean {
    let any = false;
    for (let a = 0; a < routes.length; a++) {
      for (let b = a + 1; b < routes.length; b++) {
        let tries = 0;
        while (tries++ < 10 && this.simple(routes[a]!) && this.simple(routes[b]!) && this.pair(routes, a, b, st)) any = true;
      }
    }
    return any;
  }

  private simple(r: Route): boolean {
    if (r.len <= r.prefixLen) return false;
    for (let i = 0; i < r.len; i++) if (r.vis[i]! < 0) return false;
    return true;
  }

  /** cost from location x to what follows position p of r (the next visit, or the end) */
  private arc(r: Route, p: number, x: number): number {
    const I = this.I;
    const n = I.nLoc;
    if (p === r.len) return I.perDist * I.endDist[r.v * n + x]! + I.perDur * I.endDur[r.v * n + x]!;
    const y = r.loc[p + 1]!;
    return I.perDist * I.dist[x * n + y]! + I.perDur * I.dur[x * n + y]!;
  }

  private c(x: number, y: number): number {
    const I = this.I;
    return I.perDist * I.dist[x * I.nLoc + y]! + I.perDur * I.dur[x * I.nLoc + y]!;
  }

  /** top-3 insertion costs of each stop of X into Y, stored under `side` */
  private tops(X: Route, Y: Route, side: number): void {
    const base = side * (this.I.S + 2) * 3;
    for (let i = 1; i <= X.len; i++) {
      const lx = X.loc[i]!;
      const o = base + i * 3;
      this.topC[o] = this.topC[o + 1] = this.topC[o + 2] = Infinity;
      this.topP[o] = this.topP[o + 1] = this.topP[o + 2] = -1;
      for (let p = Y.prefixLen; p <= Y.len; p++) {
        const d = this.c(Y.loc[p]!, lx) + this.arc(Y, p, lx) - this.arc(Y, p, Y.loc[p]!);
        if (d >= this.topC[o + 2]!) continue;
        let k = 2;
        while (k > 0 && d < this.topC[o + k - 1]!) {
          this.topC[o + k] = this.topC[o + k - 1]!;
          this.topP[o + k] = this.topP[o + k - 1]!;
          k--;
        }
        this.topC[o + k] = d;
        this.topP[o + k] = p;
      }
    }
  }

  /** cheapest insertion of the stop at X's position i into Y without Y's position j: [cost, after-position in Y\{j}] */
  private best(side: number, i: number, lx: number, Y: Route, j: number): number {
    const o = side * (this.I.S + 2) * 3 + i * 3;
    const vPrev = Y.loc[j - 1]!;
    // at the removed stop's place
    let bestC = this.c(vPrev, lx) + this.arc(Y, j, lx) - this.arc(Y, j, vPrev);
    this.bestPos = j - 1;
    for (let k = 0; k < 3; k++) {
      const p = this.topP[o + k]!;
      if (p < 0) break;
      if (p === j - 1 || p === j) continue;
      if (this.topC[o + k]! < bestC) {
        bestC = this.topC[o + k]!;
        this.bestPos = p < j ? p : p - 1;
      }
      break;
    }
    return bestC;
  }

  private bestPos = -1;

  private pair(routes: Route[], a: number, b: number, st: RuinState): boolean {
    const I = this.I;
    const A = routes[a]!;
    const B = routes[b]!;
    this.tops(A, B, 0);
    this.tops(B, A, 1);
    const loadA = A.load[A.len]!;
    const loadB = B.load[B.len]!;
    // soft end: the pair may also win by making a late route less late (at most both on time again);
    // the exact evaluation below decides
    const sl = I.perLate > 0 ? I.perLate * (A.lateness() + B.lateness()) : 0;
    let bestD = -EPS + sl;
    let bi = -1;
    let bj = -1;
    let qA = -1;
    let qB = -1;
    for (let i = A.prefixLen + 1; i <= A.len; i++) {
      const u = A.vis[i - 1]!;
      if (!I.allowed[u * I.V + B.v]) continue;
      const lu = A.loc[i]!;
      const uPrev = A.loc[i - 1]!;
      const remU = this.c(uPrev, lu) + this.arc(A, i, lu) - this.arc(A, i, uPrev);
      for (let j = B.prefixLen + 1; j <= B.len; j++) {
        const v = B.vis[j - 1]!;
        if (!I.allowed[v * I.V + A.v]) continue;
        if (loadA - I.demand[u]! + I.demand[v]! > I.cap[A.v]! || loadB - I.demand[v]! + I.demand[u]! > I.cap[B.v]!) continue;
        const lv = B.loc[j]!;
        const vPrev = B.loc[j - 1]!;
        const remV = this.c(vPrev, lv) + this.arc(B, j, lv) - this.arc(B, j, vPrev);
        const insU = this.best(0, i, lu, B, j);
        const posU = this.bestPos;
        const insV = this.best(1, j, lv, A, i);
        const posV = this.bestPos;
        const d = insU + insV - remU - remV;
        if (d < bestD) {
          bestD = d;
          bi = i;
          bj = j;
          qB = posU;
          qA = posV;
        }
      }
    }
    if (bi < 0) return false;
    const before = A.cost + B.cost;
    const violBefore = A.violation + B.violation;
    const lenA = A.len;
    const lenB = B.len;
    this.bakA.set(A.vis.subarray(0, lenA));
    this.bakB.set(B.vis.subarray(0, lenB));
    const u = A.vis[bi - 1]!;
    const v = B.vis[bj - 1]!;
    A.removeAt(bi - 1);
    B.removeAt(bj - 1);
    A.insertAt(qA, v);
    B.insertAt(qB, u);
    A.update(st.routeOf, st.posOf, a);
    B.update(st.routeOf, st.posOf, b);
    if (A.cost + B.cost < before - EPS && A.violation + B.violation <= violBefore + 1e-9) {
      markDirty(st, a);
      markDirty(st, b);
      return true;
    }
    A.vis.set(this.bakA.subarray(0, lenA));
    A.len = lenA;
    B.vis.set(this.bakB.subarray(0, lenB));
    B.len = lenB;
    A.update(st.routeOf, st.posOf, a);
    B.update(st.routeOf, st.posOf, b);
    return false;
  }
}
