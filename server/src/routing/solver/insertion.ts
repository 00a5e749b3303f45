import type { Instance } from './instance.js';
import type { Rng } from './rng.js';
import type { Route } from './route.js';

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
  const fixed = len === 0 ? I.fixedCost[v]! : 0;
  const oldEndD = len > 0 ? r.endArcDist() : 0;
  const oldEndT = len > 0 ? r.endArcDur() : 0;
  const shiftE = I.shiftE[v]!;
  for (let p = r.prefixLen; p <= len; p++) {
    if (blink > 0 && rng.next() < blink) continue;
    const a = r.loc[p]!;
    const depP = r.dep[p]!;
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
      b = r.loc[p + 1]!;
      oldD = I.dist[a * n + b]!;
      oldT = I.dur[a * n + b]!;
      const x = r.vis[p]!;
      if (x >= 0) nextTw = I.twS[x]!;
      nextLatest = r.latest[p + 1]!;
    }
    const tripRest = r.tripEnd[p]! - r.load[p]!;
    if (r.tripEnd[p]! + d <= cap) {
      let t = depP + I.dur[a * n + l]!;
      if (t < tws) t = tws;
      if (t <= twe) {
        const ds = t + svc;
        let arcD: number;
        let ok: boolean;
        let arcT: number;
        if (b < 0) {
          arcD = I.endDist[v * n + l]!;
          arcT = I.endDur[v * n + l]!;
          ok = ds + arcT <= nextLatest;
        } else {
          arcD = I.dist[l * n + b]!;
          arcT = I.dur[l * n + b]!;
          let tn = ds + arcT;
          if (tn < nextTw) tn = nextTw;
          ok = tn <= nextLatest;
        }
        if (ok) {
          const delta = pd * (I.dist[a * n + l]! + arcD - oldD) + pt * (I.dur[a * n + l]! + arcT - oldT + svc) + fixed;
          if (delta < bestIns.delta) {
            bestIns.delta = delta;
            bestIns.route = ri;
            bestIns.pos = p;
            bestIns.mode = PLAIN;
          }
        }
      }
      continue;
    }
    if (sites.length === 0 || d > cap) continue;
    const prevIsReload = p > 0 && r.vis[p - 1]! < 0;
    const rs = I.reloadS[v]!;
    for (let k = 0; k < sites.length; k++) {
      const site = sites[k]!;
      // reload before s: the stop joins the rest of the trip after p
      if (!prevIsReload && (p > 0 || r.load[0]! > 0) && tripRest + d <= cap) {
        let t = depP + I.dur[a * n + site]! + rs + I.dur[site * n + l]!;
        if (t < tws) t = tws;
        if (t <= twe) {
          const ds = t + svc;
          const arcD = b < 0 ? I.endDist[v * n + l]! : I.dist[l * n + b]!;
          const arcT = b < 0 ? I.endDur[v * n + l]! : I.dur[l * n + b]!;
          let tn = ds + arcT;
          if (tn < nextTw) tn = nextTw;
          if (tn <= nextLatest) {
            const dd = I.dist[a * n + site]! + I.dist[site * n + l]! + arcD - oldD;
            const dt = I.dur[a * n + site]! + rs + I.dur[site * n + l]! + arcT - oldT + svc;
            const delta = pd * dd + pt * dt + fixed;
            if (delta < bestIns.delta) {
              bestIns.delta = delta;
              bestIns.route = ri;
              bestIns.pos = p;
              bestIns.mode = RELOAD_BEFORE;
              bestIns.site = site;
            }
          }
        }
      }
      // reload after s: the stop closes the trip up to p (not at the end: the end arc already unloads)
      if (b >= 0 && r.load[p]! + d <= cap && r.vis[p]! >= 0) {
        let t = depP + I.dur[a * n + l]!;
        if (t < tws) t = tws;
        if (t <= twe) {
          let tn = t + svc + I.dur[l * n + site]! + rs + I.dur[site * n + b]!;
          if (tn < nextTw) tn = nextTw;
          if (tn <= nextLatest) {
            const dd = I.dist[a * n + l]! + I.dist[l * n + site]! + I.dist[site * n + b]! - oldD;
            const dt = I.dur[a * n + l]! + svc + I.dur[l * n + site]! + rs + I.dur[site * n + b]! - oldT;
            const delta = pd * dd + pt * dt + fixed;
            if (delta < bestIns.delta) {
              bestIns.delta = delta;
              bestIns.route = ri;
              bestIns.pos = p;
              bestIns.mode = RELOAD_AFTER;
              bestIns.site = site;
            }
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
