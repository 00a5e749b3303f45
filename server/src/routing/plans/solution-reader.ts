import type { LeftOutStop, PlanRoute, PlanStop } from '@sanitation/contracts';
import type { VrpSolution, VrpUnassignedReason } from '../solver/model.js';
import { predictedPct, type BuiltProblem } from './problem-builder.js';

/** Stable stop ids: a bin's stop keeps its id across edits and re-plans. */
export const stopIdOf = {
  collect: (deviceId: string) => `c:${deviceId}`,
  start: (vehicleId: string) => `s:${vehicleId}`,
  end: (vehicleId: string) => `e:${vehicleId}`,
  unload: (vehicleId: string, n: number) => `u:${vehicleId}:${n}`,
};

const iso = (ms: number) => new Date(Math.round(ms)).toISOString();
const round1 = (x: number) => Math.round(x * 10) / 10;

export function leftOutReason(reason: VrpUnassignedReason): LeftOutStop['reason'] {
  return reason === 'time-window' ? 'time-window' : 'no-capacity';
}

function blankStop(partial: Pick<PlanStop, 'stopId' | 'kind' | 'lat' | 'lon'> & Partial<PlanStop>): PlanStop {
  return {
    deviceId: null,
    deviceKind: null,
    siteId: null,
    name: null,
    arriveAt: '',
    serviceAt: '',
    departAt: '',
    windowFrom: null,
    windowTo: null,
    demandKg: 0,
    loadAfterKg: 0,
    predictedPct: null,
    locked: false,
    jobId: null,
    progress: 'planned',
    actualArriveAt: null,
    etaAt: null,
    ...partial,
  };
}

/**
 * One PlanRoute per vehicle of the problem (unused ones too, with only start and end, so a stop
 * can be moved onto them), and the required stops the solver could not serve as left out.
 * `path` is left empty: the caller draws it with the travel provider.
 */
export function readSolution(built: BuiltProblem, solution: VrpSolution): { routes: PlanRoute[]; leftOut: LeftOutStop[] } {
  const { problem, origin, points } = built;
  const at = (s: number) => iso(origin + s * 1000);
  const byVehicle = new Map(solution.routes.map((r) => [r.vehicle, r]));
  const routes = built.vehicles.map((v, vi): PlanRoute => {
    const vv = problem.vehicles[vi]!;
    const r = byVehicle.get(vi);
    const startPt = points[vv.start]!;
    const endPt = points[vv.end]!;
    const departStart = r ? r.timing.departStart : vv.shiftStart;
    const arriveEnd = r ? r.timing.arriveEnd : vv.shiftStart;
    const stops: PlanStop[] = [
      blankStop({
        stopId: stopIdOf.start(v.vehicleId), kind: 'start', lat: startPt.lat, lon: startPt.lon, siteId: startPt.siteId, name: startPt.name,
        arriveAt: at(departStart), serviceAt: at(departStart), departAt: at(departStart), loadAfterKg: vv.initialLoad ?? 0,
      }),
    ];
    let load = vv.initialLoad ?? 0;
    let unloads = 0;
    r?.visits.forEach((visit, k) => {
      const arrive = r.timing.arrival[k]!;
      const service = r.timing.serviceStart[k]!;
      const after = r.timing.loadAfter[k]!;
      if (visit.type === 'stop') {
        const stop = problem.stops[visit.stop]!;
        const bin = built.bins[visit.stop]!;
        const pct = predictedPct(bin, origin + service * 1000);
        stops.push(
          blankStop({
            stopId: stopIdOf.collect(bin.deviceId), kind: 'collect', deviceId: bin.deviceId, deviceKind: bin.kind, name: bin.name,
            lat: bin.lat, lon: bin.lon, arriveAt: at(arrive), serviceAt: at(service), departAt: at(service + stop.serviceS),
            windowFrom: stop.twStart === undefined ? null : at(stop.twStart), windowTo: stop.twEnd === undefined ? null : at(stop.twEnd),
            demandKg: stop.demand, loadAfterKg: round1(after), predictedPct: pct === null ? null : round1(pct),
            locked: stop.vehicle === vi && !(vv.fixedPrefix ?? []).includes(visit.stop),
          }),
        );
      } else {
        const p = points[visit.location]!;
        stops.push(
          blankStop({
            stopId: stopIdOf.unload(v.vehicleId, ++unloads), kind: 'unload', siteId: p.siteId, name: p.name, lat: p.lat, lon: p.lon,
            arriveAt: at(arrive), serviceAt: at(service), departAt: at(service + (vv.reloadServiceS ?? 0)),
            demandKg: round1(after - load), loadAfterKg: round1(after),
          }),
        );
      }
      load = after;
    });
    stops.push(
      blankStop({
        stopId: stopIdOf.end(v.vehicleId), kind: 'end', lat: endPt.lat, lon: endPt.lon, siteId: endPt.siteId, name: endPt.name,
        arriveAt: at(arriveEnd), serviceAt: at(arriveEnd), departAt: at(arriveEnd), loadAfterKg: round1(load),
      }),
    );
    return {
      vehicleId: v.vehicleId, vehicleName: v.name, capacityKg: v.capacityKg, stops,
      distanceM: Math.round(r?.distance ?? 0), durationS: Math.round(r?.duration ?? 0), path: [], progress: null,
    };
  });
  const leftOut = solution.unassigned.map(({ stop, reason }): LeftOutStop => {
    const bin = built.bins[stop]!;
    const now = predictedPct(bin, built.origin);
    const next = predictedPct(bin, built.nextRoundAt);
    const why = leftOutReason(reason);
    return {
      deviceId: bin.deviceId, lat: bin.lat, lon: bin.lon, fillPct: now === null ? null : round1(now), predictedPct: next === null ? null : round1(next), reason: why,
      detail: why === 'time-window' ? 'its collection hours cannot be met by any truck' : `needed, but no truck has capacity or shift time left (${reason})`,
    };
  });
  return { routes, leftOut };
}
