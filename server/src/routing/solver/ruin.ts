import type { Instance } from './instance.js';
import type { Rng } from './rng.js';
import type { Route } from './route.js';

/**
 * SISR string removal (Christiaens & Vanden Berghe 2020): around a random seed stop, remove one
 * string (or a split string) of consecutive stops from each of a few nearby routes. Spatially and
 * sequentially related removals let the recreate rebuild route parts together. Fixed-prefix stops
 * and reloads are never removed (reloads are tidied up afterwards).
 */
export interface RuinState {
  routes: Route[];
  routeOf: Int32Array;
  posOf: Int32Array;
  /** removed stops are appended here */
  removed: Int32Array;
  removedLen: number;
  /** per route: touched in this iteration */
  dirty: Uint8Array;
  dirtyList: Int32Array;
  dirtyLen: number;
}

/** average number of removed stops (SISR c̄) and maximum string length (L_max) */
const C_BAR = 10;
const L_MAX = 10;

export function markDirty(st: RuinState, r: number): void {
  if (st.dirty[r]) return;
  st.dirty[r] = 1;
  st.dirtyList[st.dirtyLen++] = r;
}

function movable(r: Route): number {
  let c = 0;
  for (let i = r.prefixLen; i < r.len; i++) if (r.vis[i]! >= 0) c++;
  return c;
}

export function ruin(I: Instance, st: RuinState, rng: Rng, assigned: number, usedRoutes: number): void {
  if (assigned === 0 || I.adjLen === 0) return;
  const avgCard = assigned / Math.max(1, usedRoutes);
  const lsMax = Math.min(L_MAX, avgCard);
  const cBar = Math.min(C_BAR, Math.max(1, Math.floor(assigned / 4)));
  const ksMax = (4 * cBar) / (1 + lsMax) - 1;
  const ks = Math.floor(rng.next() * ksMax) + 1;
  // random assigned, movable seed stop
  let seed = -1;
  for (let tries = 0; tries < 50 && seed < 0; tries++) {
    const c = rng.int(I.S);
    if (st.routeOf[c]! >= 0 && !I.inPrefix[c]) seed = c;
  }
  if (seed < 0) return;
  let ruined = 0;
  for (let k = -1; k < I.adjLen && ruined < ks; k++) {
    const c = k < 0 ? seed : I.adj[seed * I.adjLen + k]!;
    const ri = st.routeOf[c]!;
    if (ri < 0 || I.inPrefix[c] || st.dirty[ri]) continue;
    const r = st.routes[ri]!;
    const card = movable(r);
    const ltMax = Math.min(card, lsMax);
    const lt = Math.floor(rng.next() * ltMax) + 1;
    markDirty(st, ri);
    ruined++;
    // window of visit indices containing c, kept inside the movable part of the route
    const lo = r.prefixLen;
    const ci = st.posOf[c]! - 1;
    if (rng.next() < 0.5 || lt >= card) {
      let start = ci - rng.int(lt);
      if (start < lo) start = lo;
      let end = start + lt;
      if (end > r.len) {
        end = r.len;
        start = Math.max(lo, end - lt);
      }
      removeWindow(I, st, r, start, end, 0, 0);
    } else {
      // split string: keep m stops in the middle of a string of length lt + m
      let m = 1;
      while (lt + m < card && rng.next() < 0.5) m++;
      const total = lt + m;
      let start = ci - rng.int(total);
      if (start < lo) start = lo;
      let end = start + total;
      if (end > r.len) {
        end = r.len;
        start = Math.max(lo, end - total);
      }
      const keepFrom = start + rng.int(Math.max(1, end - start - m + 1));
      removeWindow(I, st, r, start, end, keepFrom, keepFrom + m);
    }
  }
}

/** Removes the stops in visit indices [start, end) except [keepA, keepB). */
function removeWindow(I: Instance, st: RuinState, r: Route, start: number, end: number, keepA: number, keepB: number): void {
  let w = start;
  for (let i = start; i < r.len; i++) {
    const x = r.vis[i]!;
    const inWin = i < end && !(i >= keepA && i < keepB);
    if (inWin && x >= 0 && !I.inPrefix[x]) {
      st.removed[st.removedLen++] = x;
      st.routeOf[x] = -1;
      continue;
    }
    r.vis[w++] = x;
  }
  r.len = w;
}

/**
 * Drops reloads that are no longer needed: one whose two trips fit together, one right after
 * another reload / an empty start, and a trailing one (the end arc already goes via an unload site
 * when the vehicle must unload before the end).
 */
export function tidyReloads(I: Instance, r: Route): void {
  if (I.reloadSites[r.v]!.length === 0) return;
  const cap = I.cap[r.v]!;
  for (let i = r.len - 1; i >= r.prefixLen; i--) {
    if (r.vis[i]! >= 0) continue;
    if (i === r.len - 1) {
      r.removeAt(i);
      continue;
    }
    let before = 0;
    let j = i - 1;
    for (; j >= 0 && r.vis[j]! >= 0; j--) before += I.demand[r.vis[j]!]!;
    if (j < 0) before += I.initLoad[r.v]!;
    let after = 0;
    for (let k = i + 1; k < r.len && r.vis[k]! >= 0; k++) after += I.demand[r.vis[k]!]!;
    if (before === 0 || before + after <= cap) r.removeAt(i);
  }
}
