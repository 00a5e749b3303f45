import type { Instance } from './instance.js';
import type { Rng } from './rng.js';
import { markDirty, type RuinState } from './ruin.js';
import type { Route } from './route.js';

const EPS = 1e-7;
/** neighbours per stop scanned by the moves (granular neighbourhood, Toth & Vigo) */
const K = 30;

/**
 * Granular local search: for each stop u and each of its K nearest stops w, try relocate u after w,
 * swap u and w, 2-opt* (exchange the tails after u and w) between routes and 2-opt (reverse the
 * segment between them) within a route. A move is screened by its travel-cost delta in O(1); the
 * few that look improving are applied and then confirmed by the exact route evaluation (windows,
 * shifts, capacities per trip, allowed vehicles) and undone if infeasible or not cheaper. That keeps
 * one generic feasibility check for every constraint of the model. With soft route ends the screen
 * is relaxed by the largest late-cost the move could save (exact: update() prices the late term).
 */
export class GranularLs {
  private readonly bakA: Int32Array;
  private readonly bakB: Int32Array;
  private readonly tmp: Int32Array;
  private readonly list: Int32Array;
  private lenA = 0;
  private lenB = 0;

  constructor(private readonly I: Instance) {
    const m = 2 * I.S + 2;
    this.bakA = new Int32Array(m);
    this.bakB = new Int32Array(m);
    this.tmp = new Int32Array(m);
    this.list = new Int32Array(I.S);
  }

  /** `onlyDirty`: start moves only from stops on routes changed in this iteration (cheap, local). */
  run(routes: Route[], st: RuinState, rng: Rng, onlyDirty = false): void {
    const I = this.I;
    const n = I.nLoc;
    const dist = I.dist;
    const dur = I.dur;
    const pd = I.perDist;
    const pt = I.perDur;
    const pl = I.perLate;
    const k = Math.min(K, I.adjLen);
    const c = (a: number, b: number): number => pd * dist[a * n + b]! + pt * dur[a * n + b]!;
    let improved = true;
    let passes = 0;
    while (improved && passes++ < 30) {
      improved = false;
      let m = 0;
      const list = this.list;
      if (onlyDirty) {
        for (let d = 0; d < st.dirtyLen; d++) {
          const r = routes[st.dirtyList[d]!]!;
          for (let q = 0; q < r.len; q++) if (r.vis[q]! >= 0) list[m++] = r.vis[q]!;
        }
      } else for (let s = 0; s < I.S; s++) list[m++] = s;
      const off = rng.int(Math.max(1, m));
      for (let i = 0; i < m; i++) {
        const u = list[(i + off) % m]!;
        for (let j = 0; j < k; j++) {
          const ru = st.routeOf[u]!;
          if (ru < 0) break;
          const w = I.adj[u * I.adjLen + j]!;
          const rw = st.routeOf[w]!;
          if (rw < 0) continue;
          const A = routes[ru]!;
          const B = routes[rw]!;
          const pu = st.posOf[u]!;
          const pw = st.posOf[w]!;
          const lu = A.loc[pu]!;
          const lw = B.loc[pw]!;
          const uPrev = A.loc[pu - 1]!;
          const uNext = A.loc[pu + 1]!;
          const wNext = B.loc[pw + 1]!;
          const wPrev = B.loc[pw - 1]!;
          const uEnd = pu === A.len;
          const wEnd = pw === B.len;
          // the arcs to the end are the route's end arcs (they may pass an unload site)
          const cuNext = uEnd ? pd * A.endArcDist() + pt * A.endArcDur() : c(lu, uNext);
          const cwNext = wEnd ? pd * B.endArcDist() + pt * B.endArcDur() : c(lw, wNext);
          // soft end: a move may pay for itself by making a late route less late; screen with the
          // most it could win that way (both routes on time again), the exact check decides
          const sl = pl > 0 ? pl * (A.lateness() + (ru === rw ? 0 : B.lateness())) : 0;
          const uFree = !I.inPrefix[u];
          const wFree = !I.inPrefix[w];
          // relocate u after w
          if (uFree && pw >= B.prefixLen && !(ru === rw && pw === pu - 1)) {
            const cuw = wEnd ? pd * I.endDist[B.v * n + lu]! + pt * I.endDur[B.v * n + lu]! : c(lu, wNext);
            const rem = c(uPrev, lu) + cuNext - (uEnd ? (pu - 1 === 0 ? 0 : this.endFrom(A, uPrev)) : c(uPrev, uNext));
            const add = c(lw, lu) + cuw - cwNext;
            if (add - rem - sl < -EPS && (ru === rw || this.fits(B, pw, pw + 1, u, B.tripEnd[pw]!)) && this.tryMove(routes, st, ru, rw, 0, u, w)) {
              improved = true;
              continue;
            }
          }
          // relocate the 2- or 3-stop string starting at u after w (other route only)
          if (ru !== rw && uFree && pw >= B.prefixLen) {
            let segLoad = I.demand[u]!;
            let last = lu;
            for (let L = 2; L <= 3; L++) {
              const q = pu + L - 1;
              if (q > A.len) break;
              const x = A.vis[q - 1]!;
              if (x < 0) break;
              segLoad += I.demand[x]!;
              last = A.loc[q]!;
              const after = q === A.len ? this.endFrom(A, uPrev) : c(uPrev, A.loc[q + 1]!);
              const lastNext = q === A.len ? pd * A.endArcDist() + pt * A.endArcDur() : c(last, A.loc[q + 1]!);
              const rem = c(uPrev, lu) + lastNext - (q === A.len && pu - 1 === 0 ? 0 : after);
              const add = c(lw, lu) + (wEnd ? this.endFrom(B, last) : c(last, wNext)) - cwNext;
              if (add - rem - sl < -EPS && B.tripEnd[pw]! + segLoad <= I.cap[B.v]! + 1e-9 && this.tryMove(routes, st, ru, rw, 4 + L, u, w)) {
                improved = true;
                break;
              }
            }
            if (st.routeOf[u] !== ru) continue;
          }
          if (ru === rw) {
            // 2-opt: reverse the segment after the earlier of the two up to the later one
            if (pu < pw && pu >= A.prefixLen && pw < A.len + 1) {
              const d = c(lu, lw) + (wEnd ? this.endFrom(A, uNext) : c(uNext, wNext)) - cuNext - cwNext;
              if (d - sl < -EPS && this.tryMove(routes, st, ru, rw, 2, u, w)) {
                improved = true;
                continue;
              }
            }
            continue;
          }
          // swap u and w
          if (uFree && wFree) {
            const cuAtW = c(wPrev, lu) + (wEnd ? pd * I.endDist[B.v * n + lu]! + pt * I.endDur[B.v * n + lu]! : c(lu, wNext));
            const cwAtU = c(uPrev, lw) + (uEnd ? pd * I.endDist[A.v * n + lw]! + pt * I.endDur[A.v * n + lw]! : c(lw, uNext));
            const d = cuAtW + cwAtU - c(uPrev, lu) - cuNext - c(wPrev, lw) - cwNext;
            if (
              d - sl < -EPS &&
              this.fits(B, pw - 1, pw + 1, u, B.tripEnd[pw]! - I.demand[w]!) &&
              this.fits(A, pu - 1, pu + 1, w, A.tripEnd[pu]! - I.demand[u]!) &&
              this.tryMove(routes, st, ru, rw, 1, u, w)
            ) {
              improved = true;
              continue;
            }
          }
          // 2-opt*: A = head(u) + tail(w), B = head(w) + tail(u)
          if (pu >= A.prefixLen && pw >= B.prefixLen) {
            const aNew = wEnd ? pd * I.endDist[A.v * n + lu]! + pt * I.endDur[A.v * n + lu]! : c(lu, wNext);
            const bNew = uEnd ? pd * I.endDist[B.v * n + lw]! + pt * I.endDur[B.v * n + lw]! : c(lw, uNext);
            const d = aNew + bNew - cuNext - cwNext;
            if (d - sl < -EPS && this.tailsFit(A, pu, B, pw) && this.tryMove(routes, st, ru, rw, 3, u, w)) {
              improved = true;
              continue;
            }
          }
        }
      }
    }
  }

  /**
   * O(1) necessary condition (exact for capacity and time): stop x fits between positions `a` and
   * `b` of route r (b = a + 1 to insert, a + 2 to replace the visit between), given the load of the
   * trip it joins without it.
   */
  private fits(r: Route, a: number, b: number, x: number, tripLoad: number): boolean {
    const I = this.I;
    const n = I.nLoc;
    if (tripLoad + I.demand[x]! > I.cap[r.v]! + 1e-9) return false;
    const l = I.stopLoc[x]!;
    let t = r.dep[a]! + I.dur[r.loc[a]! * n + l]!;
    if (t < I.twS[x]!) t = I.twS[x]!;
    if (t > I.twE[x]!) return false;
    t += I.service[x]!;
    if (b > r.len) return t + I.endDur[r.v * n + l]! <= I.shiftE[r.v]!;
    t += I.dur[l * n + r.loc[b]!]!;
    const nx = r.vis[b - 1]!;
    if (nx >= 0 && t < I.twS[nx]!) t = I.twS[nx]!;
    return t <= r.latest[b]!;
  }

  /** 2-opt* screen: capacity of the two joined trips (exact); time when both vehicles end alike. */
  private tailsFit(A: Route, pu: number, B: Route, pw: number): boolean {
    const I = this.I;
    if (A.load[pu]! + B.tripEnd[pw]! - B.load[pw]! > I.cap[A.v]! + 1e-9) return false;
    if (B.load[pw]! + A.tripEnd[pu]! - A.load[pu]! > I.cap[B.v]! + 1e-9) return false;
    if (I.vEnd[A.v] !== I.vEnd[B.v] || I.shiftE[A.v] !== I.shiftE[B.v]) return true;
    return this.joinOk(A, pu, B, pw) && this.joinOk(B, pw, A, pu);
  }

  /** head of X up to p followed by the tail of Y after q: is the first tail visit still in time? */
  private joinOk(X: Route, p: number, Y: Route, q: number): boolean {
    const I = this.I;
    const n = I.nLoc;
    if (q === Y.len) {
      if (p === X.len) return true;
      const last = X.vis[p - 1]!;
      const l = X.loc[p]!;
      const arc = p > 0 && last >= 0 ? I.endDur[X.v * n + l]! : I.dur[l * n + I.vEnd[X.v]!]!;
      return X.dep[p]! + arc <= I.shiftE[X.v]!;
    }
    let t = X.dep[p]! + I.dur[X.loc[p]! * n + Y.loc[q + 1]!]!;
    const nx = Y.vis[q]!;
    if (nx >= 0 && t < I.twS[nx]!) t = I.twS[nx]!;
    return t <= Y.latest[q + 1]!;
  }

  /** cost of the end arc of route r if it left from location l (its last stop) */
  private endFrom(r: Route, l: number): number {
    const I = this.I;
    return I.perDist * I.endDist[r.v * I.nLoc + l]! + I.perDur * I.endDur[r.v * I.nLoc + l]!;
  }

  /** Applies a move, keeps it only if the exact evaluation says feasible and cheaper. */
  private tryMove(routes: Route[], st: RuinState, ru: number, rw: number, kind: number, u: number, w: number): boolean {
    const I = this.I;
    const A = routes[ru]!;
    const B = routes[rw]!;
    const before = A.cost + (ru === rw ? 0 : B.cost);
    const violBefore = A.violation + (ru === rw ? 0 : B.violation);
    this.bakA.set(A.vis.subarray(0, A.len));
    this.lenA = A.len;
    this.bakB.set(B.vis.subarray(0, B.len));
    this.lenB = B.len;
    const pu = st.posOf[u]! - 1;
    const pw = st.posOf[w]! - 1;
    if (kind === 0) {
      A.removeAt(pu);
      B.insertAt(ru === rw && pw > pu ? pw : pw + 1, u);
    } else if (kind >= 5) {
      // string of kind − 4 stops from u moved after w (different routes)
      const L = kind - 4;
      this.tmp.set(A.vis.subarray(pu, pu + L));
      A.vis.copyWithin(pu, pu + L, A.len);
      A.len -= L;
      B.vis.copyWithin(pw + 1 + L, pw + 1, B.len);
      B.vis.set(this.tmp.subarray(0, L), pw + 1);
      B.len += L;
    } else if (kind === 1) {
      A.vis[pu] = w;
      B.vis[pw] = u;
    } else if (kind === 2) {
      for (let a = pu + 1, b = pw; a < b; a++, b--) {
        const t = A.vis[a]!;
        A.vis[a] = A.vis[b]!;
        A.vis[b] = t;
      }
    } else {
      // tails exchange through a scratch copy of A's tail
      const tailA = A.len - (pu + 1);
      this.tmp.set(A.vis.subarray(pu + 1, A.len));
      const tailB = B.len - (pw + 1);
      A.vis.set(B.vis.subarray(pw + 1, B.len), pu + 1);
      A.len = pu + 1 + tailB;
      B.vis.set(this.tmp.subarray(0, tailA), pw + 1);
      B.len = pw + 1 + tailA;
    }
    A.update(st.routeOf, st.posOf, ru);
    if (ru !== rw) B.update(st.routeOf, st.posOf, rw);
    const after = A.cost + (ru === rw ? 0 : B.cost);
    const violAfter = A.violation + (ru === rw ? 0 : B.violation);
    if (after < before - EPS && violAfter <= violBefore + 1e-9 && this.allowedOk(A) && (ru === rw || this.allowedOk(B))) {
      markDirty(st, ru);
      markDirty(st, rw);
      return true;
    }
    A.vis.set(this.bakA.subarray(0, this.lenA));
    A.len = this.lenA;
    A.update(st.routeOf, st.posOf, ru);
    if (ru !== rw) {
      B.vis.set(this.bakB.subarray(0, this.lenB));
      B.len = this.lenB;
      B.update(st.routeOf, st.posOf, rw);
    }
    return false;
  }

  private allowedOk(r: Route): boolean {
    const I = this.I;
    for (let i = 0; i < r.len; i++) {
      const x = r.vis[i]!;
      if (x >= 0 ? !I.allowed[x * I.V + r.v] : !I.reloadSites[r.v]!.includes(-1 - x)) return false;
    }
    return true;
  }
}
