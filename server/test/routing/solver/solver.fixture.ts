import type { VrpProblem, VrpSolution, VrpStop, VrpVehicle } from '../../../src/routing/solver/model.js';

/** Small seeded PRNG for the fixtures (independent of the solver's own). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Euclidean matrices over points; duration = distance / speed. */
export function matrices(points: [number, number][], speed = 1): VrpProblem['matrices'] {
  const n = points.length;
  const distance = new Float64Array(n * n);
  const duration = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const d = Math.hypot(points[i]![0] - points[j]![0], points[i]![1] - points[j]![1]);
      distance[i * n + j] = d;
      duration[i * n + j] = d / speed;
    }
  return { size: n, distance, duration };
}

/**
 * A rich random instance: two depots (locations 0, 1), an unload site (2), stops with demand,
 * service time and (for some) a time window, vehicles of different capacities and shifts, half of
 * them with multiple trips through the unload site.
 */
export function randomRich(seed: number, nStops: number, nVehicles: number): VrpProblem {
  const rnd = lcg(seed);
  const pts: [number, number][] = [[200, 200], [800, 800], [500, 500]];
  for (let i = 0; i < nStops; i++) pts.push([rnd() * 1000, rnd() * 1000]);
  const vehicles: VrpVehicle[] = [];
  for (let v = 0; v < nVehicles; v++) {
    const depot = v % 2;
    const multi = v % 2 === 0;
    vehicles.push({
      id: `v${v}`, start: depot, end: depot,
      capacity: 40 + 20 * (v % 3),
      shiftStart: 100 * (v % 2), shiftEnd: 4000 + 500 * (v % 3),
      reloadSites: multi ? [2] : undefined, reloadServiceS: multi ? 30 : undefined, unloadBeforeEnd: multi && v % 4 === 0,
    });
  }
  const stops: VrpStop[] = [];
  for (let i = 0; i < nStops; i++) {
    const stop: VrpStop = { id: `s${i}`, location: 3 + i, demand: 1 + Math.floor(rnd() * 15), serviceS: 10 + Math.floor(rnd() * 30), required: true };
    if (rnd() < 0.4) {
      const a = rnd() * 2500;
      stop.twStart = a;
      stop.twEnd = a + 400 + rnd() * 800;
    }
    stops.push(stop);
  }
  return { matrices: matrices(pts), vehicles, stops, objective: { perDistance: 1, perDuration: 0.1 } };
}

/**
 * Independent feasibility check (does not use the solver's evaluation): every stop served exactly
 * once or listed unassigned, capacity between reloads, windows, shifts, locks, prefixes.
 * Returns a list of violations (empty = feasible).
 */
export function violations(p: VrpProblem, sol: VrpSolution): string[] {
  const out: string[] = [];
  const n = p.matrices.size;
  const seen = new Array<number>(p.stops.length).fill(0);
  for (const u of sol.unassigned) seen[u.stop]! += 1;
  const eps = 1e-6;
  for (const r of sol.routes) {
    const v = p.vehicles[r.vehicle]!;
    let load = v.initialLoad ?? 0;
    let t = v.shiftStart;
    let at = v.start;
    const sites = new Set(v.reloadSites ?? []);
    r.visits.forEach((x, i) => {
      const loc = x.type === 'stop' ? p.stops[x.stop]!.location : x.location;
      t += p.matrices.duration[at * n + loc]!;
      if (x.type === 'reload') {
        if (!sites.has(loc)) out.push(`vehicle ${r.vehicle}: reload at ${loc}, not one of its sites`);
        load = 0;
        t += v.reloadServiceS ?? 0;
      } else {
        const s = p.stops[x.stop]!;
        seen[x.stop]! += 1;
        if (s.vehicle !== undefined && s.vehicle !== r.vehicle) out.push(`stop ${x.stop} locked to ${s.vehicle} but on ${r.vehicle}`);
        if (s.allowedVehicles && !s.allowedVehicles.includes(r.vehicle)) out.push(`stop ${x.stop} not allowed on ${r.vehicle}`);
        if (s.twStart !== undefined && t < s.twStart) t = s.twStart;
        if (s.twEnd !== undefined && t > s.twEnd + eps) out.push(`stop ${x.stop}: service at ${t} after window end ${s.twEnd}`);
        if (Math.abs(r.timing.serviceStart[i]! - t) > 1e-3) out.push(`stop ${x.stop}: reported service start ${r.timing.serviceStart[i]} ≠ ${t}`);
        load += s.demand;
        if (load > v.capacity + eps) out.push(`vehicle ${r.vehicle}: load ${load} > capacity ${v.capacity}`);
        t += s.serviceS;
      }
      if (Math.abs(r.timing.loadAfter[i]! - load) > 1e-6) out.push(`vehicle ${r.vehicle}: reported load ${r.timing.loadAfter[i]} ≠ ${load}`);
      at = loc;
    });
    t += p.matrices.duration[at * n + v.end]!;
    if (t > v.shiftEnd + eps) out.push(`vehicle ${r.vehicle}: back at ${t} after shift end ${v.shiftEnd}`);
    if (v.unloadBeforeEnd && load > 0) out.push(`vehicle ${r.vehicle}: ends with load ${load}`);
    const prefix = v.fixedPrefix ?? [];
    prefix.forEach((s, i) => {
      const x = r.visits.filter((y) => y.type === 'stop')[i];
      if (!x || x.type !== 'stop' || x.stop !== s) out.push(`vehicle ${r.vehicle}: fixed prefix position ${i} is not stop ${s}`);
    });
  }
  p.vehicles.forEach((v, i) => {
    if ((v.fixedPrefix ?? []).length > 0 && !sol.routes.some((r) => r.vehicle === i)) out.push(`vehicle ${i}: has a fixed prefix but no route`);
  });
  seen.forEach((k, s) => {
    if (k !== 1) out.push(`stop ${s} appears ${k} times (routes + unassigned)`);
  });
  return out;
}

/** Routes as plain lists, for equality checks. */
export function routeLists(sol: VrpSolution): string[] {
  return sol.routes.map((r) => `${r.vehicle}:` + r.visits.map((x) => (x.type === 'stop' ? x.stop : `R${x.location}`)).join(','));
}
