import type { VrpOptions, VrpProblem } from './model.js';
import { RoutingSolverError, RoutingSolverErrorCode } from './solver.exception.js';

/** Rejects an inconsistent problem with a message naming the field, before any search starts. */
export function validateProblem(p: VrpProblem): void {
  const bad = RoutingSolverError.invalid;
  const m = p.matrices;
  if (!m || !Number.isInteger(m.size) || m.size < 1) throw bad('matrices.size', `must be a positive integer, got ${m?.size}`);
  const nn = m.size * m.size;
  if (!(m.distance instanceof Float64Array) || m.distance.length !== nn)
    throw bad('matrices.distance', `must be a Float64Array of size×size = ${nn}, got length ${m.distance?.length}`);
  if (!(m.duration instanceof Float64Array) || m.duration.length !== nn)
    throw bad('matrices.duration', `must be a Float64Array of size×size = ${nn}, got length ${m.duration?.length}`);
  for (let i = 0; i < nn; i++) {
    if (!Number.isFinite(m.distance[i]!) || m.distance[i]! < 0) throw bad('matrices.distance', `entry ${i} is ${m.distance[i]} (must be finite, ≥ 0)`);
    if (!Number.isFinite(m.duration[i]!) || m.duration[i]! < 0) throw bad('matrices.duration', `entry ${i} is ${m.duration[i]} (must be finite, ≥ 0)`);
  }
  const loc = (field: string, l: number): void => {
    if (!Number.isInteger(l) || l < 0 || l >= m.size) throw bad(field, `location ${l} out of range [0, ${m.size - 1}]`);
  };
  if (!Array.isArray(p.vehicles) || p.vehicles.length === 0) throw bad('vehicles', 'at least one vehicle is needed');
  const S = p.stops.length;
  const V = p.vehicles.length;
  const inPrefix = new Int32Array(S).fill(-1);
  p.vehicles.forEach((v, i) => {
    const f = `vehicles[${i}]`;
    loc(`${f}.start`, v.start);
    loc(`${f}.end`, v.end);
    if (!(v.capacity >= 0)) throw bad(`${f}.capacity`, `must be ≥ 0, got ${v.capacity}`);
    if (!Number.isFinite(v.shiftStart) || !Number.isFinite(v.shiftEnd) || v.shiftStart > v.shiftEnd)
      throw bad(`${f}.shiftStart`, `shift [${v.shiftStart}, ${v.shiftEnd}] is not a finite window with start ≤ end`);
    if (v.initialLoad !== undefined && !(v.initialLoad >= 0)) throw bad(`${f}.initialLoad`, `must be ≥ 0, got ${v.initialLoad}`);
    if (v.reloadServiceS !== undefined && !(v.reloadServiceS >= 0)) throw bad(`${f}.reloadServiceS`, `must be ≥ 0, got ${v.reloadServiceS}`);
    if (v.fixedCost !== undefined && !(v.fixedCost >= 0)) throw bad(`${f}.fixedCost`, `must be ≥ 0, got ${v.fixedCost}`);
    if (v.softEndS !== undefined && !Number.isFinite(v.softEndS)) throw bad(`${f}.softEndS`, `must be finite, got ${v.softEndS}`);
    (v.reloadSites ?? []).forEach((r, k) => loc(`${f}.reloadSites[${k}]`, r));
    if (v.unloadBeforeEnd && !(v.reloadSites && v.reloadSites.length > 0))
      throw bad(`${f}.unloadBeforeEnd`, 'needs at least one reload site');
    (v.fixedPrefix ?? []).forEach((s, k) => {
      if (!Number.isInteger(s) || s < 0 || s >= S) throw bad(`${f}.fixedPrefix[${k}]`, `stop ${s} out of range [0, ${S - 1}]`);
      if (inPrefix[s] !== -1) throw bad(`${f}.fixedPrefix[${k}]`, `stop ${s} is already in the fixed prefix of vehicles[${inPrefix[s]}]`);
      inPrefix[s] = i;
    });
  });
  p.stops.forEach((s, i) => {
    const f = `stops[${i}]`;
    loc(`${f}.location`, s.location);
    if (!Number.isFinite(s.demand) || s.demand < 0) throw bad(`${f}.demand`, `must be finite and ≥ 0, got ${s.demand}`);
    if (!Number.isFinite(s.serviceS) || s.serviceS < 0) throw bad(`${f}.serviceS`, `must be finite and ≥ 0, got ${s.serviceS}`);
    if (s.twStart !== undefined && s.twEnd !== undefined && s.twStart > s.twEnd)
      throw bad(`${f}.twStart`, `twStart ${s.twStart} > twEnd ${s.twEnd}`);
    if (s.vehicle !== undefined && (!Number.isInteger(s.vehicle) || s.vehicle < 0 || s.vehicle >= V))
      throw bad(`${f}.vehicle`, `locked vehicle ${s.vehicle} out of range [0, ${V - 1}]`);
    (s.allowedVehicles ?? []).forEach((v, k) => {
      if (!Number.isInteger(v) || v < 0 || v >= V) throw bad(`${f}.allowedVehicles[${k}]`, `vehicle ${v} out of range [0, ${V - 1}]`);
    });
    if (!s.required && s.prize !== undefined && !(s.prize >= 0)) throw bad(`${f}.prize`, `must be ≥ 0, got ${s.prize}`);
    const owner = inPrefix[i]!;
    if (owner !== -1 && s.vehicle !== undefined && s.vehicle !== owner)
      throw bad(`${f}.vehicle`, `locked to vehicle ${s.vehicle} but in the fixed prefix of vehicle ${owner}`);
  });
  const o = p.objective;
  if (!o || !(o.perDistance >= 0) || !(o.perDuration >= 0)) throw bad('objective', 'perDistance and perDuration must be ≥ 0');
  if (o.perLateS !== undefined && !(o.perLateS >= 0 && Number.isFinite(o.perLateS))) throw bad('objective.perLateS', `must be finite and ≥ 0, got ${o.perLateS}`);
}

export function validateOptions(o: VrpOptions): void {
  const bad = (m: string): RoutingSolverError => new RoutingSolverError(RoutingSolverErrorCode.INVALID_OPTIONS, m);
  if (!Number.isInteger(o.seed)) throw bad(`seed: must be an integer, got ${o.seed}`);
  if (!(o.timeLimitMs > 0)) throw bad(`timeLimitMs: must be > 0, got ${o.timeLimitMs}`);
  if (o.maxIterations !== undefined && !(Number.isInteger(o.maxIterations) && o.maxIterations >= 0))
    throw bad(`maxIterations: must be an integer ≥ 0, got ${o.maxIterations}`);
  if (o.maxIterationsWithoutImprovement !== undefined && !(Number.isInteger(o.maxIterationsWithoutImprovement) && o.maxIterationsWithoutImprovement > 0))
    throw bad(`maxIterationsWithoutImprovement: must be an integer > 0, got ${o.maxIterationsWithoutImprovement}`);
}
