import type { Job, PlanProgressEvent } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import { compareCrewJobs } from '../src/features/crew/crew-jobs';
import {
  ROUTE_COLOURS,
  allowedActions,
  applyChanged,
  applyOffRoute,
  applyProgress,
  cityDate,
  formatClock,
  formatDelay,
  formatDuration,
  formatKm,
  loadCurve,
  lockRequest,
  moveRequest,
  offRouteVehicles,
  pickPlan,
  routeColour,
  stopNumbers,
  stopPlace,
} from '../src/features/routes/route-plan.logic';
import { SITE_COLOUR, planBounds, routeScene } from '../src/map/route-draw';
import { plan, route1, route2 } from './routes.fixture';

const TZ = 'Asia/Shanghai';

describe('route plan formatting', () => {
  it('gives each truck the colour of its place in the request, kept when routes reorder', () => {
    const p = plan();
    expect(routeColour(p, 'v1')).toBe(ROUTE_COLOURS[0]);
    expect(routeColour(p, 'v2')).toBe(ROUTE_COLOURS[1]);
    const reordered = plan({ routes: [route2(), route1()] });
    expect(routeColour(reordered, 'v2')).toBe(ROUTE_COLOURS[1]);
  });

  it('shows times on the city clock whatever the browser zone, and the city date', () => {
    expect(formatClock('2026-11-27T22:10:00.000Z', TZ)).toBe('06:10');
    expect(formatClock('2026-11-27T22:10:00.000Z', 'Europe/London')).toBe('22:10');
    expect(formatClock(null, TZ)).toBe('—');
    expect(cityDate(Date.parse('2026-11-27T17:00:00Z'), TZ)).toBe('2026-11-28');
    expect(cityDate(Date.parse('2026-11-27T15:59:00Z'), TZ)).toBe('2026-11-27');
  });

  it('formats distance, duration and delay', () => {
    expect(formatKm(12_345)).toBe('12.3 km');
    expect(formatDuration(3 * 3600 + 20 * 60)).toBe('3:20');
    expect(formatDuration(59)).toBe('0:01');
    expect(formatDelay(420)).toBe('+7 min');
    expect(formatDelay(-180)).toBe('-3 min');
  });

  it('numbers only the collect stops, in route order', () => {
    expect([...stopNumbers(route1())]).toEqual([
      ['s1-a', 1],
      ['s1-b', 2],
    ]);
  });
});

describe('load curve', () => {
  it('steps up at each bin and down at the unload site, with the capacity as a flat line', () => {
    const c = loadCurve(route1());
    expect(c.load).toEqual([0, 0, 0, 400, 400, 900, 900, 0, 0, 0]);
    expect(c.capacity).toEqual(Array(10).fill(1000));
    expect(c.x[2]).toBe(Date.parse('2026-11-27T22:10:00.000Z') / 1000);
    expect(c.x[3]).toBe(Date.parse('2026-11-27T22:15:00.000Z') / 1000);
    // uPlot needs ascending x
    expect([...c.x].sort((a, b) => a - b)).toEqual(c.x);
  });
});

describe('live events on a plan', () => {
  it('replaces the plan with a newer version of the same plan only', () => {
    const p = plan({ version: 3 });
    expect(applyChanged(p, { plan: plan({ version: 4, status: 'published' }), change: 'published' })?.status).toBe('published');
    expect(applyChanged(p, { plan: plan({ version: 2, status: 'cancelled' }), change: 'edited' })).toBe(p);
    expect(applyChanged(p, { plan: plan({ planId: 'other', version: 9 }), change: 'created' })).toBe(p);
    expect(applyChanged(null, { plan: plan(), change: 'created' })).toBeNull();
  });

  it('applies progress per route and stop, and flags an event from a newer version', () => {
    const p = plan({ status: 'published', version: 2 });
    const event: PlanProgressEvent = {
      planId: 'p1',
      version: 2,
      routes: [
        {
          vehicleId: 'v1',
          progress: { nextStopIndex: 2, doneStops: 2, delayS: 300, offRoute: false, offRouteM: 12, lastFixAt: '2026-11-27T22:20:00.000Z', withdrawn: false },
          stops: [
            { stopId: 's1-a', progress: 'done', actualArriveAt: '2026-11-27T22:14:00.000Z', etaAt: null },
            { stopId: 's1-b', progress: 'en_route', actualArriveAt: null, etaAt: '2026-11-27T22:36:00.000Z' },
          ],
        },
      ],
    };
    const { plan: next, stale } = applyProgress(p, event);
    expect(stale).toBe(false);
    const stops = next.routes[0]!.stops;
    expect(stops.find((s) => s.stopId === 's1-a')).toMatchObject({ progress: 'done', actualArriveAt: '2026-11-27T22:14:00.000Z' });
    expect(stops.find((s) => s.stopId === 's1-b')).toMatchObject({ progress: 'en_route', etaAt: '2026-11-27T22:36:00.000Z', locked: true });
    expect(next.routes[0]!.progress?.delayS).toBe(300);
    expect(next.routes[1]).toBe(p.routes[1]);
    expect(p.routes[0]!.stops[1]!.progress).toBe('planned'); // not mutated
    expect(applyProgress(p, { ...event, version: 3 }).stale).toBe(true);
    expect(applyProgress(p, { ...event, planId: 'other' }).plan).toBe(p);
  });

  it('shows a truck off route until progress reports a later fix back on its path', () => {
    const p = plan({ status: 'published' });
    const alert = { planId: 'p1', vehicleId: 'v2', offRouteM: 250, lat: 31.2, lon: 121.4, at: '2026-11-27T22:30:00.000Z' };
    const held = applyOffRoute({}, p, alert);
    expect([...offRouteVehicles(p, held)]).toEqual(['v2']);
    expect(applyOffRoute({}, p, { ...alert, planId: 'other' })).toEqual({});
    const back = plan({ status: 'published', routes: [route1(), { ...route2(), progress: { nextStopIndex: 1, doneStops: 1, delayS: 0, offRoute: false, offRouteM: 5, lastFixAt: '2026-11-27T22:31:00.000Z', withdrawn: false } }] });
    expect([...offRouteVehicles(back, held)]).toEqual([]);
    const flagged = plan({ routes: [{ ...route1(), progress: { nextStopIndex: 1, doneStops: 1, delayS: 0, offRoute: true, offRouteM: 300, lastFixAt: null, withdrawn: false } }, route2()] });
    expect([...offRouteVehicles(flagged, {})]).toEqual(['v1']);
  });
});

describe('edit requests', () => {
  it('toggles a lock on the version shown', () => {
    const p = plan({ version: 7 });
    expect(lockRequest(p, p.routes[0]!.stops[1]!)).toEqual({ method: 'PATCH', path: '/routing/plans/p1/stops/s1-a', body: { version: 7, locked: true } });
    expect(lockRequest(p, p.routes[0]!.stops[2]!).body.locked).toBe(false);
  });

  it('moves a stop to a truck and position, refusing moves that cannot be valid', () => {
    const p = plan({ version: 2 });
    expect(stopPlace(p, 's1-b')).toEqual({ vehicleId: 'v1', index: 1 });
    expect(moveRequest(p, 's1-b', 'v2', 0)).toEqual({ method: 'POST', path: '/routing/plans/p1/moves', body: { version: 2, stopId: 's1-b', toVehicleId: 'v2', toIndex: 0 } });
    expect(moveRequest(p, 's1-b', 'v1', 1)).toEqual({ error: 'move.samePlace' });
    expect(moveRequest(p, 's1-unload', 'v2', 0)).toEqual({ error: 'move.unknownStop' });
    expect(moveRequest(p, 's1-b', 'v9', 0)).toEqual({ error: 'move.unknownVehicle' });
    expect(moveRequest(p, 's1-b', 'v2', -1)).toEqual({ error: 'move.badIndex' });
  });

  it('allows edits and publish on a draft, breakdown on a published plan', () => {
    expect(allowedActions({ status: 'draft' })).toEqual({ edit: true, publish: true, breakdown: false, cancel: true });
    expect(allowedActions({ status: 'published' })).toEqual({ edit: false, publish: false, breakdown: true, cancel: true });
    expect(allowedActions({ status: 'completed' })).toEqual({ edit: false, publish: false, breakdown: false, cancel: false });
  });

  it('opens the newest published plan, else the newest draft', () => {
    const item = (planId: string, status: 'draft' | 'published' | 'cancelled', createdAt: string) => ({ planId, status, createdAt });
    expect(pickPlan([item('a', 'draft', '2026-01-02'), item('b', 'published', '2026-01-01'), item('c', 'published', '2026-01-03')])?.planId).toBe('c');
    expect(pickPlan([item('a', 'draft', '2026-01-02'), item('d', 'draft', '2026-01-04'), item('x', 'cancelled', '2026-01-05')])?.planId).toBe('d');
    expect(pickPlan([item('x', 'cancelled', '2026-01-05')])).toBeNull();
  });
});

describe('route map scene', () => {
  it('draws a line per route (stops joined when there is no street path) and numbered bins above depots', () => {
    const scene = routeScene(plan(), 'v1');
    expect(scene.lines.map((l) => [l.vehicleId, l.coords.length, l.width])).toEqual([
      ['v2', 3, 3.5],
      ['v1', 4, 6],
    ]);
    expect(scene.lines[1]!.colour).toBe(ROUTE_COLOURS[0]);
    // one depot shared by both trucks, one unload site, three bins numbered per route
    expect(scene.markers.map((m) => `${m.shape}:${m.label}`)).toEqual(['square:D', 'diamond:U', 'circle:1', 'circle:1', 'circle:2']);
    expect(scene.markers.filter((m) => m.shape !== 'circle').every((m) => m.colour === SITE_COLOUR)).toBe(true);
    expect(routeScene(null, null)).toEqual({ lines: [], markers: [] });
  });

  it('fades done stops and bounds the whole plan', () => {
    const p = plan();
    p.routes[0]!.stops[1]!.progress = 'done';
    expect(routeScene(p, null).markers.find((m) => m.stopId === 's1-a')?.faded).toBe(true);
    expect(planBounds(p)).toEqual([121.38, 31.19, 121.45, 31.25]);
    expect(planBounds(null)).toBeNull();
  });
});

describe('crew list with a published route', () => {
  const job = (jobId: string, over: Partial<Job>): Job => ({ jobId, status: 'assigned', priority: 3, dueAt: '2099-01-01T00:00:00.000Z', details: {}, ...over }) as Job;
  it("orders a truck's planned jobs by their stop sequence, before unplanned ones, work under way first", () => {
    const rp = (seq: number) => ({ routePlan: { planId: 'p1', vehicleId: 'v1', seq, plannedAt: '2026-11-27T22:00:00.000Z' } });
    const list = [job('c', { details: rp(3) }), job('x', { priority: 1 }), job('a', { details: rp(1), priority: 4 }), job('b', { details: rp(2) }), job('w', { status: 'on_site', details: rp(9) })];
    expect(list.sort(compareCrewJobs).map((j) => j.jobId)).toEqual(['w', 'a', 'b', 'c', 'x']);
  });
});
