import { describe, expect, it } from 'vitest';
import { cityTime } from '../../../src/routing/plans/city-time.js';
import { buildProblem, demandsAt, type BinInput, type BuildInput, type VehicleInput } from '../../../src/routing/plans/problem-builder.js';
import { ROUTING_DEFAULTS } from '../../../src/routing/routing.defaults.js';
import { StraightLineProvider } from '../../../src/routing/travel/straight-line.provider.js';

const city = cityTime('Asia/Shanghai');
const H = 3_600_000;
/** 2026-11-28 05:00 in the city: before the 06:00 shift. */
const EARLY = city.at('2026-11-28', '05:00');
const travel = new StraightLineProvider();
const matrix = (points: { lat: number; lon: number }[]) => travel.matrix(points);

const depot = { id: 'depot-1', name: 'Depot', lat: 30.25, lon: 120.16 };
const transfer = { id: 'tr-1', name: 'Transfer', lat: 30.26, lon: 120.18 };
const truck = (id: string, extra: Partial<VehicleInput> = {}): VehicleInput => ({
  vehicleId: id, name: id, deviceId: `gps-${id}`, capacityKg: 1000, shift: { start: '06:00', end: '14:00' },
  position: { lat: 30.255, lon: 120.17 }, loadKg: 120, depot, unloadSites: [transfer], ...extra,
});
const bin = (id: string, fillPct: number | null, ratePctPerH: number | null, at = EARLY, north = 0.001): BinInput => ({
  deviceId: id, kind: 'bin', name: id, lat: 30.25 + north, lon: 120.161, capacityL: 1000, fillPct, ratePctPerH, fittedAt: at,
});
const input = (over: Partial<BuildInput> = {}): BuildInput => ({
  now: EARLY, city, defaults: ROUTING_DEFAULTS, vehicles: [truck('t1')],
  bins: [], params: { date: '2026-11-28', collectAtPct: 80, timeWindows: [] }, ...over,
});

describe('problem builder', () => {
  it('selects bins predicted to reach the threshold before the next round and says why the others wait', async () => {
    const bins = [
      bin('full', 90, 1), // already over
      bin('rising', 50, 2), // 50 + 2 %/h × 25 h (05:00 → next day 06:00) = 100 %
      bin('slow', 30, 1), // 30 + 25 = 55 %: can wait
      bin('unread', null, null), // never read
      bin('flat-high', 85, null), // no forecast, full now
      bin('flat-low', 40, null), // no forecast, low now
    ];
    const built = await buildProblem(input({ bins }), matrix);
    expect(built.problem.stops.map((s) => s.id).sort()).toEqual(['flat-high', 'full', 'rising']);
    expect(built.problem.stops.every((s) => s.required)).toBe(true);
    const why = Object.fromEntries(built.leftOut.map((l) => [l.deviceId, l]));
    expect(why.slow).toMatchObject({ reason: 'can-wait', detail: 'predicted 55 % at 2026-11-29 06:00', fillPct: 30, predictedPct: 55 });
    expect(why.unread).toMatchObject({ reason: 'no-forecast', fillPct: null });
    expect(why['flat-low']).toMatchObject({ reason: 'no-forecast', fillPct: 40 });
    expect(built.nextRoundAt).toBe(city.at('2026-11-29', '06:00'));
  });

  it('a given nextRoundAt moves the cut: a bin that could wait until tomorrow must go before a later round', async () => {
    const bins = [bin('slow', 30, 1)];
    const later = await buildProblem(input({ bins, params: { date: '2026-11-28', collectAtPct: 80, timeWindows: [], nextRoundAt: EARLY + 60 * H } }), matrix);
    expect(later.problem.stops.map((s) => s.id)).toEqual(['slow']);
  });

  it('demand is the predicted fill at service time × volume × density, recomputed at the planned times', async () => {
    const built = await buildProblem(input({ bins: [bin('rising', 50, 2)] }), matrix);
    const origin = city.at('2026-11-28', '06:00');
    expect(built.origin).toBe(origin);
    // First pass: the middle of 06:00–14:00 = 10:00, 5 h after the fit: 60 % of 1000 L × 0.2 kg/L.
    expect(built.problem.stops[0]!.demand).toBeCloseTo(120, 6);
    const change = demandsAt(built, [2 * 3600]); // planned at 08:00: 56 %
    expect(built.problem.stops[0]!.demand).toBeCloseTo(112, 6);
    expect(change).toBeCloseTo(8 / 120, 6);
  });

  it('time windows are the city time on the plan date, in seconds from the first shift start', async () => {
    const bins = [bin('ped', 95, null), bin('other', 95, null, EARLY, 0.002)];
    const built = await buildProblem(input({ bins, params: { date: '2026-11-28', collectAtPct: 80, timeWindows: [{ deviceIds: ['ped'], from: '07:00', to: '08:30' }] } }), matrix);
    const ped = built.problem.stops.find((s) => s.id === 'ped')!;
    expect([ped.twStart, ped.twEnd]).toEqual([3600, 9000]);
    expect(built.problem.stops.find((s) => s.id === 'other')!.twStart).toBeUndefined();
  });

  it('before the shift: starts at the depot at shift start, empty; unloads at the transfer station', async () => {
    const built = await buildProblem(input({ bins: [bin('full', 90, 1)] }), matrix);
    const v = built.problem.vehicles[0]!;
    expect(v.shiftStart).toBe(0);
    expect(v.shiftEnd).toBe(8 * 3600);
    expect(v.initialLoad).toBe(0);
    expect(built.points[v.start]).toMatchObject({ siteId: 'depot-1' });
    expect(v.end).toBe(v.start);
    expect(v.reloadSites!.map((i) => built.points[i]!.siteId)).toEqual(['tr-1']);
    expect(v.reloadServiceS).toBe(ROUTING_DEFAULTS.UNLOAD_S);
    expect(v.unloadBeforeEnd).toBe(true);
  });

  it('planning today after the shift started: starts now from the truck’s position with its load', async () => {
    const now = city.at('2026-11-28', '09:30');
    const built = await buildProblem(input({ now, bins: [bin('full', 90, 1, now)] }), matrix);
    const v = built.problem.vehicles[0]!;
    expect(built.origin).toBe(now);
    expect(v.shiftStart).toBe(0);
    expect(v.shiftEnd).toBe(4.5 * 3600);
    expect(v.initialLoad).toBe(120);
    expect(built.points[v.start]).toMatchObject({ lat: 30.255, lon: 120.17, siteId: null });
    expect(built.points[v.end]).toMatchObject({ siteId: 'depot-1' });
  });

  it('constraints: forced bins go in whatever the forecast, locked stops name their truck, under-way stops are a fixed prefix', async () => {
    const bins = [bin('a', 10, 0), bin('b', 90, 1), bin('c', 95, 1)];
    const built = await buildProblem(
      input({
        bins,
        vehicles: [truck('t1'), truck('t2')],
        constraints: { forced: new Set(['a']), locked: new Map([['b', 't2']]), fixedPrefix: new Map([['t1', ['c']]]) },
      }),
      matrix,
    );
    const idx = (id: string) => built.problem.stops.findIndex((s) => s.id === id);
    expect(idx('a')).toBeGreaterThanOrEqual(0);
    expect(built.problem.stops[idx('b')]!.vehicle).toBe(1);
    expect(built.problem.vehicles[0]!.fixedPrefix).toEqual([idx('c')]);
  });
});
