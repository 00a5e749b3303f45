import type { Job, PlanStop, RoutePlan, TruckPositionEvent } from '@sanitation/contracts';

/** A west→east street at 30.25 N: x metres east of the depot. */
export const LAT = 30.25;
export const LON = 120.16;
const M_PER_DEG_LON = 111_195 * Math.cos((LAT * Math.PI) / 180);
export const east = (x: number, north = 0): { lon: number; lat: number } => ({ lon: LON + x / M_PER_DEG_LON, lat: LAT + north / 111_195 });

/** 2026-11-28 06:00 UTC. */
export const T0 = Date.UTC(2026, 10, 28, 6, 0);
export const MIN = 60_000;
const t = (min: number): string => new Date(T0 + min * MIN).toISOString();

function stop(stopId: string, kind: PlanStop['kind'], x: number, arriveMin: number, serviceMin: number, jobId: string | null): PlanStop {
  const p = east(x);
  return {
    stopId, kind, deviceId: kind === 'collect' ? `bin-${stopId}` : null, deviceKind: kind === 'collect' ? 'bin' : null, siteId: kind === 'collect' ? null : 'depot-1',
    name: null, lat: p.lat, lon: p.lon, arriveAt: t(arriveMin), serviceAt: t(arriveMin), departAt: t(arriveMin + serviceMin),
    windowFrom: null, windowTo: null, demandKg: kind === 'collect' ? 100 : 0, loadAfterKg: 0, predictedPct: null, locked: false,
    jobId, progress: 'planned', actualArriveAt: null, etaAt: null,
  };
}

/**
 * One truck (`truck-1`, device `gps-1`): depot at 0 m (leaves 06:00), bin A at 1000 m (06:05, 5 min
 * service), bin B at 2000 m (06:15, 5 min), back at the depot 3000 m east (06:25). The planned path is
 * the straight street.
 */
export function onePlan(): RoutePlan {
  const stops = [stop('s0', 'start', 0, 0, 0, null), stop('a', 'collect', 1000, 5, 5, 'job-a'), stop('b', 'collect', 2000, 15, 5, 'job-b'), stop('e', 'end', 3000, 25, 0, null)];
  return {
    planId: 'plan-1', zone: 'z1', date: '2026-11-28', status: 'published', version: 3, createdAt: t(-60), createdBy: 'disp', publishedAt: t(-30), publishedBy: 'disp',
    params: { vehicleIds: ['truck-1'], collectAtPct: 80, nextRoundAt: t(1440), timeLimitS: 5, seed: 1, balance: true },
    summary: { routes: 1, stops: 2, distanceM: 3000, durationS: 1500, collectedKg: 200, leftOut: 0, feasible: true, travel: 'street-graph', solveMs: 1, iterations: 1 },
    routes: [
      {
        vehicleId: 'truck-1', vehicleName: 'Truck 1', capacityKg: 5000, stops, distanceM: 3000, durationS: 1500,
        path: [
          [east(0).lon, LAT],
          [east(3000).lon, LAT],
        ],
        progress: null,
      },
    ],
    leftOut: [], history: [],
  };
}

export function job(jobId: string, status: Job['status'], atMs: number): Job {
  return {
    jobId, type: 'collection', cause: 'bin-full', deviceId: 'bin', deviceKind: 'bin', zone: 'z1', contractor: null, lat: LAT, lon: LON,
    priority: 3, status, message: '', details: {}, createdAt: t(-30), dueAt: t(600), updatedAt: new Date(atMs).toISOString(), completedAt: null,
    assignee: null, proposal: null, unsafe: false, flags: [], proof: null, alarmId: null,
  };
}

export function fix(x: number, atMs: number, north = 0, vehicleId: string | null = 'truck-1'): TruckPositionEvent {
  const p = east(x, north);
  return { deviceId: 'gps-1', vehicleId, lat: p.lat, lon: p.lon, speedKmh: 30, headingDeg: 90, loadKg: null, ts: atMs };
}
