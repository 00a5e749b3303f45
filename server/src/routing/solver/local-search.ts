import type { GranularLs } from './granular-ls.js';
import type { Instance } from './instance.js';
import { applyBest, bestIns, evalGranular, resetBest, type RouteMarks } from './insertion.js';
import type { Rng } from './rng.js';
import { markDirty, type RuinState } from './ruin.js';
import type { Route } from './route.js';
import type { SwapStar } from './swap-star.js';

const EPS = 1e-7;

/**
 * First-improvement relocate descent: take each stop out and put it back at its cheapest feasible
 * place in any route (the same O(1) insertion check the recreate uses, so every constraint holds).
 * Run on promising solutions only; a move is kept only if the exact route costs drop.
 */
export function localSearch(I: Instance, routes: Route[], st: RuinState, rng: Rng, gls: GranularLs, marks: RouteMarks, swapStar: SwapStar): void {
  gls.run(routes, st, rng);
  for (let k = 0; k < 5 && swapStar.run(routes, st); k++) gls.run(routes, st, rng);
  let improved = true;
  let passes = 0;
  while (improved && passes++ < 20) {
    improved = false;
    const off = rng.int(Math.max(1, I.S));
    for (let k = 0; k < I.S; k++) {
      const s = (k + off) % I.S;
      const ri = st.routeOf[s]!;
      if (ri < 0 || I.inPrefix[s]) continue;
      const r = routes[ri]!;
      const p = st.posOf[s]!;
      const before = r.cost;
      r.removeAt(p - 1);
      r.update(st.routeOf, st.posOf, ri);
      const gain = before - r.cost;
      resetBest();
      evalGranular(I, routes, st.routeOf, s, rng, 0, marks, Math.min(I.adjLen, 40));
      if (bestIns.route >= 0 && bestIns.delta < gain - EPS && !(bestIns.route === ri && bestIns.pos === p - 1 && bestIns.mode === 0)) {
        const t = routes[bestIns.route]!;
        const tBefore = t.cost;
        const tr = bestIns.route;
        applyBest(t, s);
        t.update(st.routeOf, st.posOf, tr);
        if (t.cost - tBefore < gain - EPS) {
          markDirty(st, ri);
          markDirty(st, tr);
          improved = true;
          continue;
        }
        // approximate delta was wrong (waiting times): undo
        t.removeAt(st.posOf[s]! - 1);
        if (bestIns.mode !== 0) removeReloadNear(t, st.posOf[s]! - 1);
        t.update(st.routeOf, st.posOf, tr);
      }
      r.insertAt(p - 1, s);
      r.update(st.routeOf, st.posOf, ri);
    }
  }
}

function removeReloadNear(r: Route, i: number): void {
  if (i < r.len && r.vis[i]! < 0) r.removeAt(i);
  else if (i > 0 && r.vis[i - 1]! < 0) r.removeAt(i - 1);
}
