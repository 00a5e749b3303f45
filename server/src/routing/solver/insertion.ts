import type { Instance } from './instance.js';
import type { Rng } from './rng.js';
import { lateDelta, type Route } from './route.js';

/** Insertion modes: plain, with a new reload before the stop, or with a new reload after it. */
export const PLAIN = 0;
export const RELOAD_BEFORE = 1;
export const RELOAD_AFTER = 2;

/** The best insertion found so far (module scratch: no allocation per evaluation). */
export const bestIns = { delta: Infinity, route: -1, pos: -1, mode: PLAIN, site: -1 };

export function resetBest(): void {
  bestIns.delta = Infinity;
  bestIns.route = -1;
  bestIns.pos = -1;
  bestIns.mode = PLAIN;
  bestIns.site = -1;
}

/** Keeps the insertion when it is cheaper than the best so far (small: V8 inlines it in the loops). */
function offer(delta: number, route: number, pos: number, mode: number, site: number): void {
  if (!(delta < bestIns.delta)) return;
  bestIns.delta = delta;
  bestIns.route = route;
  bestIns.pos = pos;
  bestIns.mode = mode;
  bestIns.site = site;
}

/**
 * Evaluates inserting stop s after every position p of route r (in O(1) each, from the route's
 * forward/backward data) and records the cheapest feasible one in `bestIns`. Positions are skipped
 * with probability `blink` (SISR "blinks": randomness in the greedy recreate).
 */
export function evalRoute(I: Instance, r: Route, ri: number, s: number, rng: Rng, blink: number): void {
  const n = I.nLoc;
  const v = r.v;
  const l = I.stopLoc[s]!;
  const d = I.demand[s]!;
  const cap = I.cap[v]!;
  const tws = I.twS[s]!;
  const twe = I.twE[s]!;
  const svc = I.service[s]!;
  const len = r.len;
  const sites = I.reloadSites[v]!;
  const pd = I.perDist;
  const pt = I.perDur;
  // soft end: the insertion delays the route's end by (at most) its added time
  const late = I.perLate > 0;
  const fixed = len === 0 ? I.fixedCost[v]! : 0;
  const oldEndD = len > 0 ? r.endArcDist() : 0;
  const oldEndT = len > 0 ? r.endArcDur() : 0;
  const shiftE = I.shiftE[v]!;
  const dist = I.dist;
  const dur = I.dur;
  const rLoc = r.loc;
  const rDep = r.dep;
  const rLatest = r.latest;
  const rTripEnd = r.tripEnd;
  const rLoad = r.load;
  const rVis = r.vis;
  const twSArr = I.twS;
  const vn = v * n;
  const endD = I.endDist[vn + l]!;
  const endT = I.endDur[vn + l]!;
  for (let p = r.prefixLen; p <= len; p++) {
    if (blink > 0 && rng.next() < blink) continue;
    const a = rLoc[p]!;
    const depP = rDep[p]!;
    // arc p → next that the insertion replaces, and the next visit's constraints
    let oldD: number;
    let oldT: number;
    let b = -1;
    let nextTw = -Infinity;
    let nextLatest: number;
    if (p === len) {
      oldD = oldEndD;
      oldT = oldEndT;
      nextLatest = shiftE;
    } else {
      b = rLoc[p + 1]!;
      oldD = dist[a * n + b]!;
      oldT = dur[a * n + b]!;
      const x = rVis[p]!;
      if (x >= 0) nextTw = twSArr[x]!;
      nextLatest = rLatest[p + 1]!;
    }
    const tripRest = rTripEnd[p]! - rLoad[p]!;
    if (rTripEnd[p]! + d <= cap) {
      // cost first: most positions lose on cost alone, before any time check
      const arcDp = b < 0 ? endD : dist[l * n + b]!;
      const arcTp = b < 0 ? endT : dur[l * n + b]!;
      const dtP = dur[a * n + l]! + arcTp - oldT + svc;
      let deltaP = pd * (dist[a * n + l]! + arcDp - oldD) + pt * dtP + fixed;
      if (late) deltaP += lateDelta(I, r, dtP);
      if (deltaP >= bestIns.delta) continue;
      let t = depP + dur[a * n + l]!;
      if (t < tws) t = tws;
      if (t <= twe) {
        const ds = t + svc;
        let arcD: number;
        let ok: boolean;
        let arcT: number;
        if (b < 0) {
          arcD = endD;
          arcT = endT;
          ok = ds + arcT <= nextLatest;
        } else {
          arcD = dist[l * n + b]!;
          arcT = dur[l * n + b]!;
          let tn = ds + arcT;
          if (tn < nextTw) tn = nextTw;
          ok = tn <= nextLatest;
        }
        if (ok) {
          const dt = dur[a * n + l]! + arcT - oldT + svc;
          let delta = pd * (dist[a * n + l]! + arcD - oldD) + pt * dt + fixed;
          if (late) delta += lateDelta(I, r, dt);
          offer(delta, ri, p, PLAIN, -1);
        }
      }
      continue;
    }
    if (sites.length === 0 || d > cap) continue;
    const prevIsReload = p > 0 && rVis[p - 1]! < 0;
    const rs = I.reloadS[v]!;
    for (let k = 0; k < sites.length; k++) {
      const site = sites[k]!;
      // reload before s: the stop joins the rest of the trip after p
      if (!prevIsReload && (p > 0 || rLoad[0]! > 0) && tripRest + d <= cap) {
        let t = depP + dur[a * n + site]! + rs + dur[site * n + l]!;
        if (t < tws) t = tws;
        if (t <= twe) {
          const ds = t + svc;
          const arcD = b < 0 ? endD : dist[l * n + b]!;
          const arcT = b < 0 ? endT : dur[l * n + b]!;
          let tn = ds + arcT;
          if (tn < nextTw) tn = nextTw;
          if (tn <= nextLatest) {
            const dd = dist[a * n + site]! + dist[site * n + l]! + arcD - oldD;
            const dt = dur[a * n + site]! + rs + dur[site * n + l]! + arcT - oldT + svc;
            let delta = pd * dd + pt * dt + fixed;
            if (late) delta += lateDelta(I, r, dt);
            offer(delta, ri, p, RELOAD_BEFORE, site);
          }
        }
      }
      // reload after s: the stop closes the trip up to p (not at the end: the end arc already unloads)
      if (b >= 0 && rLoad[p]! + d <= cap && rVis[p]! >= 0) {
        let t = depP + dur[a * n + l]!;
        if (t < tws) t = tws;
        if (t <= twe) {
          let tn = t + svc + dur[l * n + site]! + rs + dur[site * n + b]!;
          if (tn < nextTw) tn = nextTw;
          if (tn <= nextLatest) {
            const dd = dist[a * n + l]! + dist[l * n + site]! + dist[site * n + b]! - oldD;
            const dt = dur[a * n + l]! + svc + dur[l * n + site]! + rs + dur[site * n + b]! - oldT;
            let delta = pd * dd + pt * dt + fixed;
            if (late) delta += lateDelta(I, r, dt);
            offer(delta, ri, p, RELOAD_AFTER, site);
          }
        }
      }
    }
  }
}

/** Applies `bestIns` for stop s to route r (the caller then calls r.update). */
export function applyBest(r: Route, s: number): void {
  const p = bestIns.pos;
  if (bestIns.mode === PLAIN) r.insertAt(p, s);
  else if (bestIns.mode === RELOAD_BEFORE) {
    r.insertAt(p, -1 - bestIns.site);
    r.insertAt(p + 1, s);
  } else {
    r.insertAt(p, s);
    r.insertAt(p + 1, -1 - bestIns.site);
  }
}

/** Route marks for the granular scan (stamped, so nothing is cleared per stop). */
export class RouteMarks {
  readonly mark: Int32Array;
  stamp = 0;
  constructor(V: number) {
    this.mark = new Int32Array(V);
  }
}

/**
 * Granular best insertion of stop s: only routes holding one of its `kNear` nearest stops, plus
 * empty routes (the caller may widen the scan with evalSkipped when none fits).
 */
export function evalGranular(
  I: Instance,
  routes: Route[],
  routeOf: Int32Array,
  s: number,
  rng: Rng,
  blink: number,
  marks: RouteMarks,
  kNear: number,
): void {
  const V = I.V;
  const mark = marks.mark;
  const stamp = ++marks.stamp;
  const base = s * I.adjLen;
  for (let k = 0; k < kNear; k++) {
    const rr = routeOf[I.adj[base + k]!]!;
    if (rr >= 0) mark[rr] = stamp;
  }
  for (let v = 0; v < V; v++) {
    if (!I.allowed[s * V + v]) continue;
    const r = routes[v]!;
    if (mark[v] === stamp || r.len === r.prefixLen) evalRoute(I, r, v, s, rng, blink);
  }
}

/** The routes evalGranular skipped (call after it, same stamp). */
export function evalSkipped(I: Instance, routes: Route[], s: number, rng: Rng, marks: RouteMarks): void {
  const V = I.V;
  for (let v = 0; v < V; v++) {
    const r = routes[v]!;
    if (I.allowed[s * V + v] && marks.mark[v] !== marks.stamp && r.len !== r.prefixLen) evalRoute(I, r, v, s, rng, 0);
  }
}
