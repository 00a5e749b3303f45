import type { VrpProblem } from './model.js';

/**
 * The problem flattened into typed arrays for the hot loops (no object lookups per move).
 * Visits are encoded as ints: a stop index ≥ 0, or a reload at location l as −1−l.
 */
export interface Instance {
  nLoc: number;
  S: number;
  V: number;
  dist: Float64Array;
  dur: Float64Array;
  perDist: number;
  perDur: number;
  /** cost per second a route arrives at its end after `softEnd` (0 = soft end off) */
  perLate: number;
  /** per vehicle: soft route end, seconds (+∞ when absent) */
  softEnd: Float64Array;
  stopLoc: Int32Array;
  demand: Float64Array;
  service: Float64Array;
  twS: Float64Array;
  twE: Float64Array;
  required: Uint8Array;
  prize: Float64Array;
  /** allowed[s * V + v] */
  allowed: Uint8Array;
  vStart: Int32Array;
  vEnd: Int32Array;
  cap: Float64Array;
  shiftS: Float64Array;
  shiftE: Float64Array;
  initLoad: Float64Array;
  reloadS: Float64Array;
  fixedCost: Float64Array;
  reloadSites: Int32Array[];
  prefix: Int32Array[];
  /** inPrefix[s] = 1 when the stop belongs to some vehicle's fixed prefix */
  inPrefix: Uint8Array;
  /**
   * Arc from a stop's location to the vehicle's end: via the best unload site when the vehicle must
   * unload before the end (distance, duration incl. unload service, site). endX[v * nLoc + loc].
   */
  endDist: Float64Array;
  endDur: Float64Array;
  endSite: Int32Array;
  /** per stop: the other stops by increasing distance (SISR adjacency), `adjLen` each */
  adj: Int32Array;
  adjLen: number;
  /** a penalty per unserved required stop, far above any routing cost */
  bigM: number;
}

export function buildInstance(p: VrpProblem): Instance {
  const nLoc = p.matrices.size;
  const S = p.stops.length;
  const V = p.vehicles.length;
  const dist = p.matrices.distance;
  const dur = p.matrices.duration;
  const stopLoc = new Int32Array(S);
  const demand = new Float64Array(S);
  const service = new Float64Array(S);
  const twS = new Float64Array(S);
  const twE = new Float64Array(S);
  const required = new Uint8Array(S);
  const prize = new Float64Array(S);
  const allowed = new Uint8Array(S * V);
  p.stops.forEach((s, i) => {
    stopLoc[i] = s.location;
    demand[i] = s.demand;
    service[i] = s.serviceS;
    twS[i] = s.twStart ?? -Infinity;
    twE[i] = s.twEnd ?? Infinity;
    required[i] = s.required ? 1 : 0;
    prize[i] = s.required ? 0 : (s.prize ?? 0);
    if (s.vehicle !== undefined) allowed[i * V + s.vehicle] = 1;
    else if (s.allowedVehicles) for (const v of s.allowedVehicles) allowed[i * V + v] = 1;
    else allowed.fill(1, i * V, i * V + V);
    if (s.vehicle !== undefined && s.allowedVehicles && !s.allowedVehicles.includes(s.vehicle)) allowed[i * V + s.vehicle] = 0;
  });
  const inPrefix = new Uint8Array(S);
  const prefix = p.vehicles.map((v, vi) => {
    const pr = Int32Array.from(v.fixedPrefix ?? []);
    // a stop under way on this truck stays on it, whatever its allowed list says
    for (const s of pr) {
      inPrefix[s] = 1;
      allowed.fill(0, s * V, s * V + V);
      allowed[s * V + vi] = 1;
    }
    return pr;
  });
  const endDist = new Float64Array(V * nLoc);
  const endDur = new Float64Array(V * nLoc);
  const endSite = new Int32Array(V * nLoc).fill(-1);
  p.vehicles.forEach((v, vi) => {
    const sites = v.unloadBeforeEnd ? (v.reloadSites ?? []) : [];
    for (let l = 0; l < nLoc; l++) {
      const k = vi * nLoc + l;
      if (sites.length === 0) {
        endDist[k] = dist[l * nLoc + v.end]!;
        endDur[k] = dur[l * nLoc + v.end]!;
        continue;
      }
      let best = Infinity;
      for (const r of sites) {
        const d = dist[l * nLoc + r]! + dist[r * nLoc + v.end]!;
        if (d < best) {
          best = d;
          endDist[k] = d;
          endDur[k] = dur[l * nLoc + r]! + (v.reloadServiceS ?? 0) + dur[r * nLoc + v.end]!;
          endSite[k] = r;
        }
      }
    }
  });
  // SISR adjacency: nearest stops by distance (symmetrised), capped to keep memory linear in S
  const adjLen = Math.max(0, Math.min(S - 1, 100));
  const adj = new Int32Array(S * adjLen);
  const key = new Float64Array(S);
  const sorted = new Float64Array(S);
  const cand: number[] = [];
  for (let i = 0; i < S && adjLen > 0; i++) {
    const li = stopLoc[i]!;
    for (let j = 0; j < S; j++) {
      const lj = stopLoc[j]!;
      key[j] = j === i ? Infinity : dist[li * nLoc + lj]! + dist[lj * nLoc + li]!;
    }
    // native numeric sort finds the adjLen-th key; only the few below it get the comparator sort
    sorted.set(key);
    sorted.sort();
    const threshold = sorted[adjLen - 1]!;
    cand.length = 0;
    for (let j = 0; j < S; j++) if (j !== i && key[j]! <= threshold) cand.push(j);
    cand.sort((a, b) => key[a]! - key[b]! || a - b);
    for (let k = 0; k < adjLen; k++) adj[i * adjLen + k] = cand[k]!;
  }
  let maxArc = 0;
  for (let i = 0; i < dist.length; i++) maxArc = Math.max(maxArc, p.objective.perDistance * dist[i]! + p.objective.perDuration * dur[i]!);
  let maxFixed = 0;
  for (const v of p.vehicles) maxFixed = Math.max(maxFixed, v.fixedCost ?? 0);
  let maxService = 0;
  for (const s of p.stops) maxService = Math.max(maxService, s.serviceS);
  const perLate = p.objective.perLateS ?? 0;
  let maxDur = 0;
  if (perLate > 0) for (let i = 0; i < dur.length; i++) maxDur = Math.max(maxDur, dur[i]!);
  // a stop's insertion can also make a route later by up to its detour + service: big-M covers that
  const lateM = perLate > 0 ? perLate * (3 * maxDur + maxService) : 0;
  const bigM = 10 * (3 * maxArc + maxFixed + p.objective.perDuration * maxService + lateM) + 1e3;
  return {
    nLoc, S, V, dist, dur,
    perDist: p.objective.perDistance,
    perDur: p.objective.perDuration,
    perLate,
    softEnd: Float64Array.from(p.vehicles, (v) => (perLate > 0 ? (v.softEndS ?? Infinity) : Infinity)),
    stopLoc, demand, service, twS, twE, required, prize, allowed,
    vStart: Int32Array.from(p.vehicles, (v) => v.start),
    vEnd: Int32Array.from(p.vehicles, (v) => v.end),
    cap: Float64Array.from(p.vehicles, (v) => v.capacity),
    shiftS: Float64Array.from(p.vehicles, (v) => v.shiftStart),
    shiftE: Float64Array.from(p.vehicles, (v) => v.shiftEnd),
    initLoad: Float64Array.from(p.vehicles, (v) => v.initialLoad ?? 0),
    reloadS: Float64Array.from(p.vehicles, (v) => v.reloadServiceS ?? 0),
    fixedCost: Float64Array.from(p.vehicles, (v) => v.fixedCost ?? 0),
    reloadSites: p.vehicles.map((v) => Int32Array.from(v.reloadSites ?? [])),
    prefix, inPrefix, endDist, endDur, endSite, adj, adjLen, bigM,
  };
}
