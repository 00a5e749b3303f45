import type { Instance } from './instance.js';
import type { VrpRoute, VrpSolution, VrpUnassignedReason, VrpVisit } from './model.js';
import { Route } from './route.js';

/**
 * Why a stop cannot be served even on an otherwise empty route, or null when some vehicle could.
 * Stops that fail here are kept out of the search and reported with this reason.
 */
export function aloneReason(I: Instance, s: number): VrpUnassignedReason | null {
  const n = I.nLoc;
  const l = I.stopLoc[s]!;
  let anyVehicle = false;
  let anyCapacity = false;
  let anyWindow = false;
  for (let v = 0; v < I.V; v++) {
    if (!I.allowed[s * I.V + v]) continue;
    anyVehicle = true;
    const hasSites = I.reloadSites[v]!.length > 0;
    // with unload sites, the load on board can be dropped first; the stop alone must still fit
    if (I.demand[s]! > I.cap[v]! || (!hasSites && I.initLoad[v]! + I.demand[s]! > I.cap[v]! && !I.inPrefix[s])) continue;
    anyCapacity = true;
    let t = I.shiftS[v]! + I.dur[I.vStart[v]! * n + l]!;
    if (t < I.twS[s]!) t = I.twS[s]!;
    if (t > I.twE[s]!) {
      anyWindow = true;
      continue;
    }
    if (I.inPrefix[s] || t + I.service[s]! + I.endDur[v * n + l]! <= I.shiftE[v]!) return null;
    // too far for the shift even without waiting → the shift; else the window forces it out
    const noWait = I.shiftS[v]! + I.dur[I.vStart[v]! * n + l]! + I.service[s]! + I.endDur[v * n + l]!;
    if (noWait <= I.shiftE[v]!) anyWindow = true;
  }
  if (!anyVehicle) return 'no-vehicle';
  if (!anyCapacity) return 'capacity';
  return anyWindow ? 'time-window' : 'shift';
}

/** Why a stop that the search could not fit stays out: the first constraint that blocks it everywhere. */
function leftOutReason(I: Instance, routes: Route[], s: number): VrpUnassignedReason {
  if (!I.required[s]) return 'not-worth-it';
  const n = I.nLoc;
  const l = I.stopLoc[s]!;
  let timeOk = false;
  for (const r of routes) {
    if (!I.allowed[s * I.V + r.v]) continue;
    for (let p = r.prefixLen; p <= r.len; p++) {
      let t = r.dep[p]! + I.dur[r.loc[p]! * n + l]!;
      if (t < I.twS[s]!) t = I.twS[s]!;
      if (t > I.twE[s]!) continue;
      const next = p === r.len ? t + I.service[s]! + I.endDur[r.v * n + l]! : t + I.service[s]! + I.dur[l * n + r.loc[p + 1]!]!;
      if (next <= r.latest[p + 1]!) timeOk = true;
    }
  }
  return timeOk ? 'capacity' : 'time-window';
}

/** Turns the best visit lists into the public solution with full timing per visit. */
export function buildSolution(
  I: Instance,
  visits: Int32Array[],
  preReason: (VrpUnassignedReason | null)[],
  stats: VrpSolution['stats'],
): VrpSolution {
  const routeOf = new Int32Array(I.S).fill(-1);
  const posOf = new Int32Array(I.S);
  const routes = visits.map((vis, v) => {
    const r = new Route(I, v);
    r.vis.set(vis);
    r.len = vis.length;
    r.update(routeOf, posOf, v);
    return r;
  });
  const out: VrpRoute[] = [];
  let cost = 0;
  let distance = 0;
  let feasible = true;
  for (const r of routes) {
    if (r.len === 0) continue;
    if (r.violation > 1e-6) feasible = false;
    cost += r.cost;
    distance += r.distance;
    const vis: VrpVisit[] = [];
    const arrival: number[] = [];
    const serviceStart: number[] = [];
    const loadAfter: number[] = [];
    const n = I.nLoc;
    for (let p = 1; p <= r.len; p++) {
      const x = r.vis[p - 1]!;
      vis.push(x >= 0 ? { type: 'stop', stop: x } : { type: 'reload', location: -1 - x });
      arrival.push(r.dep[p - 1]! + I.dur[r.loc[p - 1]! * n + r.loc[p]!]!);
      serviceStart.push(r.st[p]!);
      loadAfter.push(r.load[p]!);
    }
    // the unload on the way to the end becomes an explicit reload visit
    const last = r.vis[r.len - 1]!;
    const site = last >= 0 ? I.endSite[r.v * n + r.loc[r.len]!]! : -1;
    if (site >= 0) {
      const t = r.dep[r.len]! + I.dur[r.loc[r.len]! * n + site]!;
      vis.push({ type: 'reload', location: site });
      arrival.push(t);
      serviceStart.push(t);
      loadAfter.push(0);
    }
    out.push({
      vehicle: r.v,
      visits: vis,
      distance: r.distance,
      duration: r.duration,
      timing: { arrival, serviceStart, loadAfter, departStart: r.departStart, arriveEnd: r.arriveEnd },
    });
  }
  const unassigned: VrpSolution['unassigned'] = [];
  for (let s = 0; s < I.S; s++) {
    if (routeOf[s]! >= 0) continue;
    const reason = preReason[s] ?? leftOutReason(I, routes, s);
    unassigned.push({ stop: s, reason });
    if (!I.required[s]) cost += I.prize[s]!;
  }
  return { routes: out, unassigned, cost, distance, feasible, stats };
}
