import type { PlanRoute, PlanStop, RoutePlan } from '@sanitation/contracts';

/** A small two-truck plan in Shanghai time (UTC+8): times below are UTC, 06:00 city = 22:00Z the day before. */
export function stop(over: Partial<PlanStop> & Pick<PlanStop, 'stopId' | 'kind'>): PlanStop {
  return {
    deviceId: null,
    deviceKind: null,
    siteId: null,
    name: null,
    lat: 31.2,
    lon: 121.4,
    arriveAt: '2026-11-27T22:00:00.000Z',
    serviceAt: '2026-11-27T22:00:00.000Z',
    departAt: '2026-11-27T22:00:00.000Z',
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
    ...over,
  };
}

const bin = (stopId: string, deviceId: string, lon: number, lat: number, at: string, leave: string, demandKg: number, loadAfterKg: number, over: Partial<PlanStop> = {}) =>
  stop({ stopId, kind: 'collect', deviceId, deviceKind: 'bin', lon, lat, arriveAt: at, serviceAt: at, departAt: leave, demandKg, loadAfterKg, predictedPct: 85, ...over });

export function route1(): PlanRoute {
  return {
    vehicleId: 'v1',
    vehicleName: 'Truck 1',
    capacityKg: 1000,
    distanceM: 12_345,
    durationS: 3 * 3600 + 20 * 60,
    path: [
      [121.4, 31.2],
      [121.41, 31.21],
      [121.42, 31.22],
      [121.4, 31.2],
    ],
    progress: null,
    stops: [
      stop({ stopId: 's1-start', kind: 'start', siteId: 'depot', name: 'Depot', departAt: '2026-11-27T22:00:00.000Z' }),
      bin('s1-a', 'bin-a', 121.41, 31.21, '2026-11-27T22:10:00.000Z', '2026-11-27T22:15:00.000Z', 400, 400, { windowFrom: '2026-11-27T21:00:00.000Z', windowTo: '2026-11-27T23:00:00.000Z' }),
      bin('s1-b', 'bin-b', 121.42, 31.22, '2026-11-27T22:30:00.000Z', '2026-11-27T22:35:00.000Z', 500, 900, { locked: true }),
      stop({ stopId: 's1-unload', kind: 'unload', siteId: 'transfer', name: 'Transfer', lon: 121.43, lat: 31.23, arriveAt: '2026-11-27T23:00:00.000Z', serviceAt: '2026-11-27T23:00:00.000Z', departAt: '2026-11-27T23:20:00.000Z', demandKg: -900, loadAfterKg: 0 }),
      stop({ stopId: 's1-end', kind: 'end', siteId: 'depot', name: 'Depot', arriveAt: '2026-11-28T01:20:00.000Z', serviceAt: '2026-11-28T01:20:00.000Z', departAt: '2026-11-28T01:20:00.000Z' }),
    ],
  };
}

export function route2(): PlanRoute {
  return {
    vehicleId: 'v2',
    vehicleName: 'Truck 2',
    capacityKg: 800,
    distanceM: 8_000,
    durationS: 2 * 3600,
    path: [],
    progress: null,
    stops: [
      stop({ stopId: 's2-start', kind: 'start', siteId: 'depot', name: 'Depot' }),
      bin('s2-c', 'bin-c', 121.38, 31.19, '2026-11-27T22:20:00.000Z', '2026-11-27T22:25:00.000Z', 300, 300),
      stop({ stopId: 's2-end', kind: 'end', siteId: 'depot', name: 'Depot', arriveAt: '2026-11-28T00:00:00.000Z', serviceAt: '2026-11-28T00:00:00.000Z', departAt: '2026-11-28T00:00:00.000Z' }),
    ],
  };
}

export function plan(over: Partial<RoutePlan> = {}): RoutePlan {
  return {
    planId: 'p1',
    zone: 'north',
    date: '2026-11-28',
    status: 'draft',
    version: 1,
    createdAt: '2026-11-27T20:00:00.000Z',
    createdBy: 'disp',
    publishedAt: null,
    publishedBy: null,
    params: { vehicleIds: ['v1', 'v2'], collectAtPct: 80, nextRoundAt: '2026-11-28T22:00:00.000Z', timeLimitS: 5, seed: 1, balance: true },
    summary: { routes: 2, stops: 3, distanceM: 20_345, durationS: 5 * 3600 + 20 * 60, collectedKg: 1200, leftOut: 1, feasible: true, travel: 'street-graph', solveMs: 4200, iterations: 1000 },
    routes: [route1(), route2()],
    leftOut: [{ deviceId: 'bin-z', lat: 31.25, lon: 121.45, fillPct: 20, predictedPct: 54, reason: 'can-wait', detail: 'predicted 54 % at 2026-11-29 06:00' }],
    history: [{ at: '2026-11-27T20:00:00.000Z', by: 'disp', action: 'created' }],
    ...over,
  };
}
