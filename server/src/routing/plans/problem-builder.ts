import type { LeftOutStop } from '@sanitation/contracts';
import type { VrpProblem, VrpStop, VrpVehicle } from '../solver/model.js';
import type { LonLat, TravelMatrix } from '../travel/travel-time.provider.js';
import type { RoutingDefaults } from '../routing.defaults.js';
import { nextDate, type CityTime } from './city-time.js';

/**
 * Turns a zone's bins, the chosen trucks, depots and unload sites into the solver's problem (pure
 * apart from the travel matrix it is handed). Selection: a bin goes in when its predicted fill
 * reaches `collectAtPct` before the next round; the others are left out with the reason.
 *
 * Demand depends on when a bin is served, which depends on the route: the first solve uses the
 * fill predicted at the middle of the shift; `demandsAt` then recomputes demands at the planned
 * service times for a short second solve (plans.solve.ts).
 */

export interface BinInput {
  deviceId: string;
  kind: 'bin' | 'septic';
  name: string | null;
  lat: number;
  lon: number;
  capacityL: number;
  /** fitted (or last read) level at `fittedAt`, percent; null: never read */
  fillPct: number | null;
  /** percent per hour; null: no forecast (too few readings) */
  ratePctPerH: number | null;
  /** epoch ms */
  fittedAt: number;
}

export interface SiteInput {
  id: string;
  name: string | null;
  lat: number;
  lon: number;
}

export interface VehicleInput {
  vehicleId: string;
  name: string;
  deviceId: string;
  capacityKg: number;
  shift: { start: string; end: string };
  /** live position and load; null when not known */
  position: LonLat | null;
  loadKg: number | null;
  /** where the shift starts and ends (depot feature, else the truck's position) */
  depot: SiteInput;
  /** transfer stations (collection) or disposal sites (septic) */
  unloadSites: SiteInput[];
}

export interface PlanParams {
  date: string;
  collectAtPct: number;
  /** epoch ms; default: the earliest shift start on the next day */
  nextRoundAt?: number;
  timeWindows: { deviceIds: string[]; from: string; to: string }[];
}

/** Edits and re-plans constrain the problem. */
export interface PlanConstraints {
  /** always required, whatever the forecast */
  forced?: ReadonlySet<string>;
  /** only the forced bins are candidates (re-plans keep the plan's selection) */
  onlyForced?: boolean;
  /** deviceId → vehicleId: only that vehicle may serve it */
  locked?: ReadonlyMap<string, string>;
  /** vehicleId → deviceIds served first, in order (under way when re-planning) */
  fixedPrefix?: ReadonlyMap<string, readonly string[]>;
  /** vehicleId → start now from here (re-plan during the shift) */
  starts?: ReadonlyMap<string, { at: number; lat: number; lon: number; loadKg: number }>;
}

export interface BuildInput {
  now: number;
  city: CityTime;
  defaults: RoutingDefaults;
  bins: BinInput[];
  vehicles: VehicleInput[];
  params: PlanParams;
  constraints?: PlanConstraints;
}

export interface PlanPoint extends LonLat {
  siteId: string | null;
  name: string | null;
}

export interface BuiltProblem {
  problem: VrpProblem;
  /** epoch ms of solver time 0 */
  origin: number;
  nextRoundAt: number;
  points: PlanPoint[];
  /** index-aligned with problem.vehicles / problem.stops */
  vehicles: VehicleInput[];
  bins: BinInput[];
  leftOut: LeftOutStop[];
  densityKgPerL: number;
}

const HOUR_MS = 3_600_000;
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Predicted level at `at`, percent (0–100); the level itself when there is no forecast. */
export function predictedPct(bin: BinInput, at: number): number | null {
  if (bin.fillPct === null) return null;
  const rise = bin.ratePctPerH === null ? 0 : Math.max(0, bin.ratePctPerH) * ((at - bin.fittedAt) / HOUR_MS);
  return Math.min(100, Math.max(0, bin.fillPct + rise));
}

export function demandKg(bin: BinInput, at: number, densityKgPerL: number): number {
  return Math.round((((predictedPct(bin, at) ?? 0) / 100) * bin.capacityL * densityKgPerL) * 10) / 10;
}

function shiftBounds(v: VehicleInput, date: string, city: CityTime): { start: number; end: number } {
  const start = city.at(date, v.shift.start);
  let end = city.at(date, v.shift.end);
  if (end <= start) end = city.at(nextDate(date), v.shift.end);
  return { start, end };
}

function windowOn(date: string, from: string, to: string, city: CityTime): { from: number; to: number } {
  const a = city.at(date, from);
  let b = city.at(date, to);
  if (b <= a) b = city.at(nextDate(date), to);
  return { from: a, to: b };
}

/** Which bins go in, and why the others do not. */
export function selectBins(input: BuildInput, nextRoundAt: number): { selected: BinInput[]; leftOut: LeftOutStop[] } {
  const { params, constraints: c = {}, city, now } = input;
  const selected: BinInput[] = [];
  const leftOut: LeftOutStop[] = [];
  for (const bin of input.bins) {
    if (c.forced?.has(bin.deviceId)) {
      selected.push(bin);
      continue;
    }
    if (c.onlyForced) continue;
    const fillNow = predictedPct(bin, now);
    const atNext = predictedPct(bin, nextRoundAt);
    const out = (reason: LeftOutStop['reason'], detail: string) =>
      leftOut.push({ deviceId: bin.deviceId, lat: bin.lat, lon: bin.lon, fillPct: fillNow === null ? null : round1(fillNow), predictedPct: atNext === null || bin.ratePctPerH === null ? null : round1(atNext), reason, detail });
    if (fillNow === null || atNext === null) out('no-forecast', 'no fill reading yet');
    else if (atNext >= params.collectAtPct) selected.push(bin);
    else if (bin.ratePctPerH === null) out('no-forecast', `fill ${round1(fillNow)} % now, too few readings to predict`);
    else out('can-wait', `predicted ${round1(atNext)} % at ${city.format(nextRoundAt)}`);
  }
  return { selected, leftOut };
}

export async function buildProblem(input: BuildInput, matrixOf: (points: LonLat[]) => Promise<TravelMatrix>): Promise<BuiltProblem & { matrix: TravelMatrix }> {
  const { params, city, now, defaults: d, constraints: c = {} } = input;
  const septic = input.bins.length > 0 && input.bins.every((b) => b.kind === 'septic');
  const density = septic ? d.SEPTIC_DENSITY_KG_PER_L : d.WASTE_DENSITY_KG_PER_L;
  const serviceS = septic ? d.SEPTIC_SERVICE_S : d.BIN_SERVICE_S;

  const nextRoundAt =
    params.nextRoundAt ?? Math.min(...input.vehicles.map((v) => shiftBounds(v, nextDate(params.date), city).start));
  const { selected, leftOut } = selectBins(input, nextRoundAt);

  const points: PlanPoint[] = [];
  const sites = new Map<string, number>();
  const site = (s: SiteInput): number => {
    const key = `${s.id}@${s.lat},${s.lon}`;
    let i = sites.get(key);
    if (i === undefined) {
      i = points.push({ lat: s.lat, lon: s.lon, siteId: s.id, name: s.name }) - 1;
      sites.set(key, i);
    }
    return i;
  };

  const bounds = input.vehicles.map((v) => {
    const shift = shiftBounds(v, params.date, city);
    const given = c.starts?.get(v.vehicleId);
    if (given) return { ...shift, start: Math.max(shift.start, given.at), from: { lat: given.lat, lon: given.lon, loadKg: given.loadKg } };
    // Planning today after the shift started: from where the truck is now, with what it carries.
    if (now > shift.start) {
      const pos = v.position ?? v.depot;
      return { ...shift, start: now, from: { lat: pos.lat, lon: pos.lon, loadKg: v.loadKg ?? 0 } };
    }
    return { ...shift, from: null };
  });
  const origin = Math.min(...bounds.map((b) => b.start));
  const sec = (ms: number) => (ms - origin) / 1000;

  const vehicles: VrpVehicle[] = input.vehicles.map((v, i) => {
    const b = bounds[i]!;
    const start = b.from ? points.push({ lat: b.from.lat, lon: b.from.lon, siteId: null, name: `${v.name} (now)` }) - 1 : site(v.depot);
    const reloadSites = v.unloadSites.map(site);
    return {
      id: v.vehicleId,
      start,
      end: site(v.depot),
      capacity: v.capacityKg,
      shiftStart: sec(b.start),
      shiftEnd: Math.max(sec(b.start), sec(b.end)),
      initialLoad: Math.min(v.capacityKg, Math.max(0, b.from?.loadKg ?? 0)),
      reloadSites,
      reloadServiceS: d.UNLOAD_S,
      unloadBeforeEnd: reloadSites.length > 0,
      fixedCost: 0,
    };
  });

  // First pass: demand at the middle of the working window (refined later at the planned times).
  const midpoint = (origin + Math.max(...bounds.map((b) => b.end))) / 2;
  const windows = new Map<string, { from: number; to: number }>();
  for (const w of params.timeWindows) for (const id of w.deviceIds) windows.set(id, windowOn(params.date, w.from, w.to, city));
  const vehicleIndex = new Map(input.vehicles.map((v, i) => [v.vehicleId, i]));

  const stops: VrpStop[] = selected.map((bin) => {
    const location = points.push({ lat: bin.lat, lon: bin.lon, siteId: null, name: bin.name }) - 1;
    const stop: VrpStop = { id: bin.deviceId, location, demand: demandKg(bin, Math.max(now, midpoint), density), serviceS, required: true };
    const w = windows.get(bin.deviceId);
    if (w) {
      stop.twStart = sec(w.from);
      stop.twEnd = sec(w.to);
    }
    const lockedTo = c.locked?.get(bin.deviceId);
    if (lockedTo !== undefined && vehicleIndex.has(lockedTo)) stop.vehicle = vehicleIndex.get(lockedTo)!;
    return stop;
  });
  const stopIndex = new Map(selected.map((b, i) => [b.deviceId, i]));
  for (const [vehicleId, ids] of c.fixedPrefix ?? []) {
    const vi = vehicleIndex.get(vehicleId);
    if (vi === undefined) continue;
    const prefix = ids.map((id) => stopIndex.get(id)).filter((i): i is number => i !== undefined);
    if (prefix.length) vehicles[vi]!.fixedPrefix = prefix;
    for (const si of prefix) stops[si]!.vehicle = vi;
  }

  const matrix = await matrixOf(points.map((p) => ({ lon: p.lon, lat: p.lat })));
  const problem: VrpProblem = {
    matrices: { size: matrix.size, distance: matrix.distanceM, duration: matrix.durationS },
    vehicles,
    stops,
    objective: { perDistance: d.PER_DISTANCE, perDuration: d.PER_DURATION },
  };
  return { problem, origin, nextRoundAt, points, vehicles: input.vehicles, bins: selected, leftOut, densityKgPerL: density, matrix };
}

/**
 * Demands at the planned service times (seconds from origin, per stop; NaN → unchanged). Returns
 * the relative change of the total, to decide whether a second solve is worth it.
 */
export function demandsAt(built: BuiltProblem, serviceS: readonly number[]): number {
  let before = 0;
  let after = 0;
  built.problem.stops.forEach((stop, i) => {
    before += stop.demand;
    const t = serviceS[i];
    if (t !== undefined && Number.isFinite(t)) stop.demand = demandKg(built.bins[i]!, built.origin + t * 1000, built.densityKgPerL);
    after += stop.demand;
  });
  return before > 0 ? Math.abs(after - before) / before : after > 0 ? 1 : 0;
}
