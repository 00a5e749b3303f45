import type { RoutePlan } from '@sanitation/contracts';
import type { PlanBbox } from '../../events/domain-events.js';

/** [west, south, east, north] around every stop of the plan; null when it has none. */
export function planBbox(plan: Pick<RoutePlan, 'routes'>): PlanBbox | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const r of plan.routes) {
    for (const p of r.stops) {
      w = Math.min(w, p.lon); e = Math.max(e, p.lon);
      s = Math.min(s, p.lat); n = Math.max(n, p.lat);
    }
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
