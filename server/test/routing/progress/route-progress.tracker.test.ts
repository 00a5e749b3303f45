import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock/clock.js';
import { RouteProgressTracker, type TrackerEffect } from '../../../src/routing/progress/route-progress.tracker.js';
import { fix, job, MIN, onePlan, T0 } from './plan.fixture.js';

function setup() {
  const clock = new ManualClock(T0);
  const tracker = new RouteProgressTracker(clock, {}, (deviceId) => (deviceId === 'gps-1' ? 'truck-1' : null));
  tracker.setPlans([onePlan()]);
  const stops = () => {
    const snap = tracker.snapshot('plan-1')!;
    return Object.fromEntries(snap.routes[0]!.stops.map((s) => [s.stopId, s]));
  };
  const route = () => tracker.snapshot('plan-1')!.routes[0]!.progress;
  return { clock, tracker, stops, route };
}

describe('route progress: jobs', () => {
  it('job en route → on site → done moves the stop along; cancelled → skipped; all collect stops finished → completed once', () => {
    const { tracker, stops, route } = setup();
    expect(stops().a!.progress).toBe('planned');
    tracker.onJob(job('job-a', 'assigned', T0));
    expect(stops().a!.progress).toBe('planned');
    tracker.onJob(job('job-a', 'en_route', T0 + MIN));
    expect(stops().a!.progress).toBe('en_route');
    tracker.onJob(job('job-a', 'on_site', T0 + 7 * MIN));
    expect(stops().a).toMatchObject({ progress: 'on_site', actualArriveAt: new Date(T0 + 7 * MIN).toISOString(), etaAt: null });
    expect(stops().s0!.progress).toBe('done'); // left the depot
    expect(route().delayS).toBe(120); // planned 06:05, on site 06:07
    expect(tracker.onJob(job('job-a', 'done', T0 + 11 * MIN))).toEqual([]);
    expect(stops().a!.progress).toBe('done');
    tracker.onJob(job('job-a', 'en_route', T0 + 12 * MIN)); // a late event never moves it back
    expect(stops().a!.progress).toBe('done');
    expect(route()).toMatchObject({ nextStopIndex: 2, doneStops: 1 });
    const effects = tracker.onJob(job('job-b', 'cancelled', T0 + 12 * MIN));
    expect(stops().b!.progress).toBe('skipped');
    expect(effects).toEqual([{ type: 'completed', planId: 'plan-1' }]);
    expect(tracker.onJob(job('job-b', 'cancelled', T0 + 13 * MIN))).toEqual([]);
  });

  it('jobs of other plans are ignored; flush reports only plans that changed', () => {
    const { tracker } = setup();
    expect(tracker.flush()).toEqual([]);
    tracker.onJob(job('job-zzz', 'done', T0));
    expect(tracker.flush()).toEqual([]);
    tracker.onJob(job('job-a', 'on_site', T0));
    const out = tracker.flush();
    expect(out.map((p) => p.plan.planId)).toEqual(['plan-1']);
    expect(out[0]!.routes[0]!.stops.find((s) => s.stopId === 'a')!.progress).toBe('on_site');
    expect(tracker.flush()).toEqual([]);
  });
});

describe('route progress: truck positions', () => {
  it('a truck driving its path stays on route, arrives by position, and the delay is actual minus planned', () => {
    const { clock, tracker, stops, route } = setup();
    const effects: TrackerEffect[] = [];
    for (let m = 0; m <= 8; m++) {
      clock.set(T0 + m * MIN);
      effects.push(...tracker.onTruck(fix(Math.min(1000, m * 125), T0 + m * MIN, 20, null))); // 20 m beside the street, matched by device
    }
    expect(effects).toEqual([]);
    expect(route()).toMatchObject({ offRoute: false, offRouteM: 20, lastFixAt: new Date(T0 + 8 * MIN).toISOString() });
    expect(stops().s0!.progress).toBe('done');
    // reaches bin A (within 50 m) at 06:08, planned 06:05
    expect(stops().a).toMatchObject({ progress: 'on_site', actualArriveAt: new Date(T0 + 8 * MIN).toISOString() });
    expect(route().delayS).toBe(180);
    // B: leaves A after its 5 min service (06:13), then the planned 5 min leg → 06:18
    expect(stops().b!.etaAt).toBe(new Date(T0 + 18 * MIN).toISOString());
    expect(stops().e!.etaAt).toBe(new Date(T0 + 28 * MIN).toISOString());
  });

  it('arrivals by position are looked for at the next few stops only: passing a stop further ahead is not a visit', () => {
    const { tracker, stops } = setup();
    const plan = onePlan();
    tracker.setPlans([plan]);
    tracker.onTruck(fix(2000, T0 + MIN)); // at B's spot: B is among the next 3 stops (start, A, B)
    const lookaheadOne = new RouteProgressTracker(new ManualClock(T0), { LOOKAHEAD_STOPS: 2 });
    lookaheadOne.setPlans([plan]);
    lookaheadOne.onTruck(fix(300, T0)); // leaves the depot: start done, A next
    lookaheadOne.onTruck(fix(3000, T0 + MIN)); // at the end depot while A and B are still ahead
    const s = Object.fromEntries(lookaheadOne.snapshot('plan-1')!.routes[0]!.stops.map((x) => [x.stopId, x]));
    expect(s.e!.progress).toBe('planned');
    expect(s.e!.actualArriveAt).toBeNull();
    expect(stops().b!.progress).toBe('on_site');
  });

  it('a round ending at its start depot is not finished by the truck waiting there before it leaves', () => {
    const plan = onePlan();
    const route = plan.routes[0]!;
    route.stops = [route.stops[0]!, route.stops[1]!, { ...route.stops[3]!, lat: route.stops[0]!.lat, lon: route.stops[0]!.lon }];
    const tracker = new RouteProgressTracker(new ManualClock(T0));
    tracker.setPlans([plan]);
    tracker.onTruck(fix(0, T0));
    tracker.onTruck(fix(10, T0 + MIN));
    const at = () => Object.fromEntries(tracker.snapshot('plan-1')!.routes[0]!.stops.map((x) => [x.stopId, x.progress]));
    expect(at()).toEqual({ s0: 'planned', a: 'planned', e: 'planned' });
    tracker.onTruck(fix(1000, T0 + 5 * MIN));
    tracker.onJob(job('job-a', 'done', T0 + 9 * MIN));
    tracker.onTruck(fix(5, T0 + 15 * MIN));
    expect(at()).toEqual({ s0: 'done', a: 'done', e: 'done' });
  });

  it('before the truck leaves the depot, ETAs follow the planned departure', () => {
    const { clock, tracker, stops } = setup();
    clock.set(T0 - 10 * MIN);
    tracker.onTruck(fix(0, T0 - 10 * MIN));
    expect(stops().s0!.etaAt).toBeNull();
    expect(stops().a!.etaAt).toBe(new Date(T0 + 5 * MIN).toISOString());
    clock.set(T0 + 2 * MIN); // late start: everything shifts by 2 min
    expect(stops().b!.etaAt).toBe(new Date(T0 + 17 * MIN).toISOString());
  });

  it('the ETA at the next stop falls as the truck approaches it', () => {
    const { clock, tracker, stops } = setup();
    const etas: number[] = [];
    for (let m = 0; m < 4; m++) {
      clock.set(T0 + m * 30_000); // 250 m per 30 s: 30 km/h
      tracker.onTruck(fix(100 + m * 250, T0 + m * 30_000));
      etas.push(Date.parse(stops().a!.etaAt!));
    }
    for (let i = 1; i < etas.length; i++) expect(etas[i]!).toBeLessThan(etas[i - 1]!);
    // 150 m left at 25 km/h × 1.3 detour ≈ 28 s after 06:01:30
    expect(etas[3]! - (T0 + 90_000)).toBeGreaterThan(20_000);
    expect(etas[3]! - (T0 + 90_000)).toBeLessThan(40_000);
  });

  it('400 m off the path for 3 min → one off-route event (after the grace period); back on the path → resolved', () => {
    const { clock, tracker, route } = setup();
    tracker.onTruck(fix(300, T0));
    const effects: TrackerEffect[] = [];
    for (let s = 0; s <= 180; s += 30) {
      clock.set(T0 + MIN + s * 1000);
      const out = tracker.onTruck(fix(500, T0 + MIN + s * 1000, 400));
      if (s < 120) expect(out).toEqual([]); // within the 2 min grace
      effects.push(...out);
    }
    expect(route()).toMatchObject({ offRoute: true, offRouteM: 400 });
    expect(effects).toHaveLength(1);
    expect(effects[0]).toMatchObject({ type: 'off-route', deviceId: 'gps-1', event: { planId: 'plan-1', vehicleId: 'truck-1', offRouteM: 400, at: new Date(T0 + 3 * MIN).toISOString() } });
    const back = tracker.onTruck(fix(700, T0 + 5 * MIN));
    expect(back).toEqual([expect.objectContaining({ type: 'back-on-route', vehicleId: 'truck-1', deviceId: 'gps-1' })]);
    expect(route()).toMatchObject({ offRoute: false, offRouteM: 0 });
    expect(tracker.onTruck(fix(800, T0 + 6 * MIN))).toEqual([]);
  });

  it('a short excursion under the grace period raises nothing', () => {
    const { tracker } = setup();
    expect(tracker.onTruck(fix(500, T0, 400))).toEqual([]);
    expect(tracker.onTruck(fix(500, T0 + MIN, 400))).toEqual([]);
    expect(tracker.onTruck(fix(600, T0 + 2 * MIN - 1000))).toEqual([]);
    expect(tracker.onTruck(fix(600, T0 + 4 * MIN, 400))).toEqual([]); // the clock restarts
  });

  it('a plan that stops being published releases its off-route alarm; progress learned survives a reload of the plans', () => {
    const { tracker, stops } = setup();
    tracker.onJob(job('job-a', 'done', T0 + 9 * MIN));
    tracker.onTruck(fix(500, T0, 400));
    expect(tracker.onTruck(fix(500, T0 + 3 * MIN, 400))).toHaveLength(1);
    tracker.setPlans([onePlan()]); // re-read (the stored copy may lag behind)
    expect(stops().a!.progress).toBe('done');
    expect(tracker.setPlans([])).toEqual([expect.objectContaining({ type: 'back-on-route', deviceId: 'gps-1', reason: 'the plan is no longer published' })]);
    expect(tracker.snapshot('plan-1')).toBeNull();
  });

  it('a withdrawn truck is not tracked', () => {
    const clock = new ManualClock(T0);
    const tracker = new RouteProgressTracker(clock);
    const plan = onePlan();
    plan.routes[0]!.progress = { nextStopIndex: 0, doneStops: 0, delayS: 0, offRoute: false, offRouteM: null, lastFixAt: null, withdrawn: true };
    tracker.setPlans([plan]);
    tracker.onTruck(fix(500, T0, 400));
    expect(tracker.onTruck(fix(500, T0 + 5 * MIN, 400))).toEqual([]);
    expect(tracker.snapshot('plan-1')!.routes[0]!.progress).toMatchObject({ withdrawn: true, lastFixAt: null });
    expect(tracker.snapshot('plan-1')!.routes[0]!.stops.every((s) => s.etaAt === null)).toBe(true);
  });
});
