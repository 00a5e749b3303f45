import type { Instance } from './instance.js';
import { applyBest, bestIns, evalGranular, evalSkipped, resetBest, RouteMarks } from './insertion.js';
import { GranularLs } from './granular-ls.js';
import { localSearch } from './local-search.js';
import { Rng } from './rng.js';
import { SwapStar } from './swap-star.js';
import { Route } from './route.js';
import { markDirty, ruin, tidyReloads, type RuinState } from './ruin.js';

/** `t0` (performance.now() at the caller's start) lets the time limit cover the set-up too. */
export interface SearchLimits {
  seed: number;
  timeLimitMs: number;
  maxIterations?: number;
  maxIterationsWithoutImprovement?: number;
}

export interface SearchResult {
  /** best solution: visits per vehicle */
  routes: Int32Array[];
  cost: number;
  iterations: number;
  elapsedMs: number;
  bestAtMs: number;
}

/** probability of skipping a position in the greedy recreate (SISR blink rate) */
const BLINK = 0.01;

/**
 * Iterated ruin-and-recreate with simulated annealing (SISR) plus a granular local search after
 * each recreate (and a full one with relocate-anywhere on each new best).
 * Every route is kept feasible by construction (each insertion is checked), so no penalty weights
 * are needed; a stop that fits nowhere stays unassigned at a cost (big-M if required, its prize if
 * optional). `eligible[s]` = 0 for stops that no vehicle can serve even alone.
 */
export function search(I: Instance, eligible: Uint8Array, lim: SearchLimits, t0 = performance.now()): SearchResult {
  const rng = new Rng(lim.seed);
  const V = I.V;
  const cur = Array.from({ length: V }, (_, v) => new Route(I, v));
  const work = Array.from({ length: V }, (_, v) => new Route(I, v));
  const curRouteOf = new Int32Array(I.S).fill(-1);
  const curPosOf = new Int32Array(I.S);
  const st: RuinState = {
    routes: work,
    routeOf: new Int32Array(I.S).fill(-1),
    posOf: new Int32Array(I.S),
    removed: new Int32Array(I.S),
    removedLen: 0,
    dirty: new Uint8Array(V),
    dirtyList: new Int32Array(V),
    dirtyLen: 0,
  };
  for (let v = 0; v < V; v++) work[v]!.update(st.routeOf, st.posOf, v);
  const order = new Int32Array(I.S);
  const key = new Float64Array(I.S);
  const depot = I.vStart[0]!;
  const farKey = Float64Array.from(I.stopLoc, (l) => I.dist[depot * I.nLoc + l]!);

  const gls = new GranularLs(I);
  const swapStar = new SwapStar(I);
  const marks = new RouteMarks(V);
  const kNear = Math.min(I.adjLen, 40);
  const recreate = (all: boolean): void => {
    // the ruined stops plus every eligible stop still unassigned
    let m = 0;
    for (let i = 0; i < st.removedLen; i++) order[m++] = st.removed[i]!;
    // (a sample of at most ~20 when many are out: an oversubscribed fleet must not stall the search)
    let out = 0;
    for (let s = 0; s < I.S; s++) if (st.routeOf[s]! < 0 && eligible[s]) out++;
    out -= st.removedLen;
    const pick = all || out <= 20 ? 1 : 20 / out;
    for (let s = 0; s < I.S; s++)
      if (st.routeOf[s]! < 0 && eligible[s] && !isIn(st.removed, st.removedLen, s) && (pick === 1 || rng.next() < pick)) order[m++] = s;
    const u = rng.int(11);
    for (let i = 0; i < m; i++) {
      const s = order[i]!;
      key[s] = u < 4 ? rng.next() : u < 8 ? -I.demand[s]! - 1e-9 * rng.next() : u < 10 ? -farKey[s]! : farKey[s]!;
    }
    const sub = order.subarray(0, m);
    sub.sort((a, b) => key[a]! - key[b]! || a - b);
    for (let i = 0; i < m; i++) {
      const s = sub[i]!;
      resetBest();
      // granular: only routes near the stop; all routes only if none of those can take it
      evalGranular(I, work, st.routeOf, s, rng, BLINK, marks, kNear);
      if (bestIns.route < 0) evalSkipped(I, work, s, rng, marks);
      if (bestIns.route < 0) continue;
      if (!I.required[s] && bestIns.delta >= I.prize[s]!) continue;
      const r = work[bestIns.route]!;
      applyBest(r, s);
      markDirty(st, bestIns.route);
      r.update(st.routeOf, st.posOf, bestIns.route);
    }
    st.removedLen = 0;
  };

  const totalCost = (): number => {
    let c = 0;
    for (let v = 0; v < V; v++) c += work[v]!.cost;
    for (let s = 0; s < I.S; s++) if (st.routeOf[s]! < 0) c += I.required[s] ? I.bigM : I.prize[s]!;
    return c;
  };
  const commit = (): void => {
    for (let i = 0; i < st.dirtyLen; i++) {
      const v = st.dirtyList[i]!;
      cur[v]!.copyFrom(work[v]!);
      st.dirty[v] = 0;
    }
    st.dirtyLen = 0;
    curRouteOf.set(st.routeOf);
    curPosOf.set(st.posOf);
  };
  const revert = (): void => {
    for (let i = 0; i < st.dirtyLen; i++) {
      const v = st.dirtyList[i]!;
      work[v]!.copyFrom(cur[v]!);
      work[v]!.update(st.routeOf, st.posOf, v);
      st.dirty[v] = 0;
    }
    st.dirtyLen = 0;
    st.routeOf.set(curRouteOf);
    st.posOf.set(curPosOf);
  };

  // initial solution: everything through the recreate
  recreate(true);
  localSearch(I, work, st, rng, gls, marks, swapStar);
  for (let v = 0; v < V; v++) markDirty(st, v);
  let curCost = totalCost();
  commit();
  let bestCost = curCost;
  const best = cur.map((r) => r.vis.slice(0, r.len));
  let bestAt = performance.now() - t0;

  // temperatures relative to the mean arc cost, so they scale with the instance's units
  let assigned = 0;
  let used = 0;
  let routingCost = 0;
  for (const r of work) {
    if (r.len > 0) used++;
    routingCost += r.cost;
  }
  for (let s = 0; s < I.S; s++) if (curRouteOf[s]! >= 0) assigned++;
  const meanArc = routingCost / Math.max(1, assigned + used) || 1;
  const T0 = 1 * meanArc;
  const Tf = 0.02 * meanArc;

  // nothing the search could move (no stops, or all under way): the start is the answer
  let movable = 0;
  for (let s = 0; s < I.S; s++) if (eligible[s] && !I.inPrefix[s]) movable++;
  const maxIt = movable === 0 ? 0 : (lim.maxIterations ?? Infinity);
  const maxNoImp = lim.maxIterationsWithoutImprovement ?? Infinity;
  let it = 0;
  let lastImp = 0;
  let lastFullLs = -Infinity;
  let elapsed = performance.now() - t0;
  while (it < maxIt && it - lastImp < maxNoImp) {
    if ((it & 15) === 0) {
      elapsed = performance.now() - t0;
      if (elapsed >= lim.timeLimitMs) break;
    }
    // progress by iterations when an iteration budget is given (deterministic), else by time
    const progress = Number.isFinite(maxIt) ? it / maxIt : elapsed / lim.timeLimitMs;
    const T = T0 * Math.pow(Tf / T0, progress);
    it++;
    assigned = 0;
    used = 0;
    for (const r of work) if (r.len > 0) used++;
    for (let s = 0; s < I.S; s++) if (st.routeOf[s]! >= 0) assigned++;
    ruin(I, st, rng, assigned, used);
    for (let i = 0; i < st.dirtyLen; i++) {
      const v = st.dirtyList[i]!;
      tidyReloads(I, work[v]!);
      work[v]!.update(st.routeOf, st.posOf, v);
    }
    recreate(false);
    // local search from the rebuilt routes (moves may reach any route): cheap, and it is what lets
    // a JS solver reach low gaps within seconds
    gls.run(work, st, rng, true);
    let c = totalCost();
    const threshold = curCost - T * Math.log(1 - rng.next());
    if (c < threshold) {
      // the full descent (relocate anywhere, reload insertion) on a new best, at most every 50
      // iterations: new bests come often on big rich problems and it costs O(S·routes)
      if (c < bestCost - 1e-9 && it - lastFullLs >= 50) {
        lastFullLs = it;
        localSearch(I, work, st, rng, gls, marks, swapStar);
        c = totalCost();
      }
      curCost = c;
      commit();
      if (c < bestCost - 1e-9) {
        bestCost = c;
        for (let v = 0; v < V; v++) best[v] = cur[v]!.vis.slice(0, cur[v]!.len);
        bestAt = performance.now() - t0;
        lastImp = it;
      }
    } else revert();
  }
  return { routes: best, cost: bestCost, iterations: it, elapsedMs: performance.now() - t0, bestAtMs: bestAt };
}

function isIn(a: Int32Array, len: number, x: number): boolean {
  for (let i = 0; i < len; i++) if (a[i] === x) return true;
  return false;
}
