/**
 * Issue 5 end to end: the simulator drives the real gateway while the server runs on the same
 * simulated clock (120×: a sim hour every 30 s; a route of eight bins takes some ten seconds). A dispatcher plans a zone's collection round for
 * two trucks from the bins' forecasts, publishes it, and the simulated trucks follow their jobs in
 * route order; one breaks down and its stops go to the other; the other leaves its route.
 * Everything is read through the API and the live socket, as the dispatcher would see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LEFT_OUT_REASONS, type Alarm, type Job, type RoutePlan } from '@sanitation/contracts';
import { createSimulation, type Simulation } from '@sanitation/firmware-sim';
import { startStack, waitFor, type Stack } from './stack.js';
import { connectLive, type LiveRecorder } from './live-client.js';
import { DispatchApi } from './dispatch-api.js';
import { allCollects, haversineM, collects, pickZone, routeOf, routePlanOf } from './route-plan-checks.js';
import { RoutePlanPage, routeRgb } from './route-plan-page.js';

const HOUR = 3_600_000;
const SPEED = 120;
const START = Date.parse('2026-11-27T04:45:00+08:00'); // shifts start 05:00–06:00
const CREW_PASSWORD = 'crew-password-e2e';
const DEVICES = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// The simulator's log (job polling, the drivers' posts), for whoever has to read a failure.
const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'e2e-routing');
const SIM_LOG = join(ARTIFACTS, 'sim.log');

describe('collection route plans on the real stack, followed by simulated trucks', () => {
  let stack: Stack;
  let sim: Simulation;
  let api: DispatchApi;
  let live: LiveRecorder;
  let token: string;
  let scene: ReturnType<typeof pickZone>;
  let plan: RoutePlan;
  /** The truck that breaks down, and the one that takes over its stops. */
  let broken: string;
  let other: string;
  /** Stops of the broken-down truck that went to the other one. */
  let orphans: string[] = [];
  /** The dispatcher's route planner page (admin), open from planning to the end. */
  let page: RoutePlanPage;

  /** A call whose status the test checks itself. */
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${stack.serverUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const ok = async <T>(method: string, path: string, body?: unknown, status = 200): Promise<T> => {
    const res = await call<T>(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body).slice(0, 400)}`).toBe(status);
    return res.body;
  };
  const getPlan = () => ok<RoutePlan>('GET', `/api/routing/plans/${plan.planId}`);
  const job = (id: string) => api.get<Job>(`/api/jobs/${id}`);
  /**
   * The truck breaks down on the way to its next bin (at the bin it would be another story: the
   * crew is on site). The world moves a truck lazily: bring it up to now before looking where it is.
   */
  const breakDownOnTheWay = async () => {
    await waitFor('the truck on its way to a bin, still some way off', async () => {
      const v = sim.world.measure(broken, Math.round(sim.clock.now())) as { lat: number; lon: number };
      const rt = sim.world.get(broken);
      const dest = rt.kind === 'truck' && rt.state.phase === 'driving' ? rt.state.dest : null;
      return dest?.kind === 'bin' && haversineM(v, sim.world.get(dest.binId).spec) > 150 ? true : undefined;
    }, 30_000, 5);
    sim.injectFault({ type: 'breakdown', targets: [broken] });
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack({ clock: { start: START, speed: SPEED, leadMs: 60_000 }, logLevel: 'info' });
    sim = createSimulation({
      ...stack.simConnection(),
      devices: DEVICES,
      seed: 42,
      speed: SPEED,
      start: START,
      // Trucks serve the jobs the server assigns them; on their own they take only overflowing bins.
      followJobs: true,
      collectAtPct: 100,
      crewPassword: CREW_PASSWORD,
    }, (msg) => appendFileSync(SIM_LOG, `${new Date().toISOString()} ${msg}\n`));
    scene = pickZone(sim);
    await sim.start();
    token = await stack.token();
    api = new DispatchApi(stack.serverUrl, token);
    // The plan assigns the collection jobs; the fleet's auto-assignment would hand them out first.
    await api.send('PUT', '/api/vehicles/auto-assign', { collection: false });
    live = await connectLive(stack.serverUrl, token, { zones: [scene.zone] }, 30_000);
    await waitFor('all devices connected', async () => (sim.stats().connected === DEVICES ? true : undefined), 60_000, 250);
    process.stdout.write(`routing scenario: zone ${scene.zone} (${scene.bins.length} bins), trucks ${scene.trucks.join(', ')}\n`);
  });

  afterAll(async () => {
    live?.close();
    await page?.close();
    await sim?.stop({ drain: false });
    await stack?.stop();
  });

  it('plans the zone\'s round for two trucks from the forecasts: feasible, only the zone\'s bins, each once, within capacity, the rest left out with reasons', async () => {
    // Forecasts need ≥ 4 readings over ≥ 1 h per bin (bins report every 15 min); and both shifts begun.
    const shiftsFrom = Math.max(...scene.trucks.map((t) => Date.parse(`2026-11-27T${sim.world.truckShift(t).start}:00+08:00`)));
    await sleep(Math.max(0, (Math.max(START + 1.5 * HOUR, shiftsFrom + 0.1 * HOUR) - stack.simNow()) / SPEED));
    const ids = scene.bins.join('|');
    await waitFor('6 readings of every bin of the zone', async () => {
      const series = await stack.influxQuery(`SELECT count(fillPct) FROM bin WHERE deviceId =~ /^(${ids})$/ GROUP BY deviceId`);
      const counts = series.map((s) => s.values[0]?.[1] as number);
      return series.length === scene.bins.length && counts.every((n) => n >= 6) ? true : undefined;
    }, 60_000, 500);

    // The dispatcher asks for the plan on the routes page; the API then serves the same plan.
    page = await RoutePlanPage.open(stack.serverUrl, 'admin', stack.adminPassword);
    const created = await page.create(scene.zone, scene.trucks, 50, 2);
    plan = created;
    plan = await getPlan();
    expect({ planId: plan.planId, version: plan.version, routes: plan.routes }).toEqual({ planId: created.planId, version: created.version, routes: created.routes });
    process.stdout.write(`plan ${plan.planId}: ${JSON.stringify(plan.summary)}; left out ${plan.leftOut.map((l) => `${l.deviceId}:${l.reason}`).join(', ')}\n`);
    expect(plan).toMatchObject({ zone: scene.zone, status: 'draft' });
    expect(plan.summary.feasible).toBe(true);
    expect(plan.routes.map((r) => r.vehicleId).sort()).toEqual([...scene.trucks].sort());
    const stops = allCollects(plan).map((s) => s.deviceId!);
    expect(stops.length).toBeGreaterThan(0);
    expect(stops.filter((id) => !scene.bins.includes(id))).toEqual([]);
    expect(stops.length).toBe(new Set(stops).size);
    for (const route of plan.routes) {
      for (const s of route.stops) expect(s.loadAfterKg, `${route.vehicleId} ${s.stopId}`).toBeLessThanOrEqual(route.capacityKg);
    }
    // Every bin of the zone is either collected or left out, with a reason the dispatcher can read.
    expect([...stops, ...plan.leftOut.map((l) => l.deviceId)].sort()).toEqual([...scene.bins].sort());
    for (const l of plan.leftOut) {
      expect(LEFT_OUT_REASONS).toContain(l.reason);
      expect(l.detail.length).toBeGreaterThan(0);
    }
    await live.waitFor('plan:changed', (e) => e.plan.planId === plan.planId && e.change === 'created', 10_000);
  });

  it('the routes page shows the draft as the API has it: routes, stops in order, bins left out with reasons, the load curve, and the routes drawn on the map', async () => {
    await expect.poll(() => page.status().getAttribute('data-status'), { timeout: 15_000 }).toBe('draft');
    await page.showsVersion(plan);
    const expected = Object.fromEntries(plan.routes.map((r) => [r.vehicleId, collects(r).map((s) => s.deviceId!)]));
    expect(await page.routesShown()).toEqual(expected);
    const leftOut = await page.leftOutShown();
    expect(leftOut.map((l) => `${l.deviceId}:${l.reason}`).sort()).toEqual(plan.leftOut.map((l) => `${l.deviceId}:${l.reason}`).sort());
    for (const l of leftOut) expect(l.text.length, `${l.deviceId}'s reason shown`).toBeGreaterThan(l.deviceId.length);
    // The first route is selected: its load curve is drawn in its colour, and its bins are drawn on top on the map.
    const selected = plan.routes[0]!;
    const chart = await page.loadChart('01-load-chart', routeRgb(plan, selected.vehicleId));
    expect(chart.vehicleId).toBe(selected.vehicleId);
    expect(chart.distinct, 'a drawn chart (axes, grid, curve)').toBeGreaterThan(5);
    expect(chart.inColour, 'the load curve in the route colour').toBeGreaterThan(30);
    const stop = collects(selected)[0]!;
    await expect
      .poll(() => page.mapPixelsAt('02-map-routes', stop.lon, stop.lat, routeRgb(plan, selected.vehicleId)), { timeout: 20_000, interval: 500, message: `${stop.deviceId}'s marker in the route colour` })
      .toBeGreaterThan(40);
    // And the other truck's route, wherever its bins are not under the selected route's.
    const other = plan.routes[1]!;
    const visible = collects(other).filter((s) => collects(selected).every((t) => haversineM(s, t) > 60));
    if (visible.length > 0) {
      expect(await page.mapPixelsAt('03-map-routes-other', visible[0]!.lon, visible[0]!.lat, routeRgb(plan, other.vehicleId)), `${visible[0]!.deviceId} in ${other.vehicleId}'s colour`).toBeGreaterThan(40);
    }
    expect(page.blocked, 'requests to other hosts').toEqual([]);
  });

  it('on the page the dispatcher locks a stop and moves one to the other truck; the API plan follows', async () => {
    const [a, b] = [...plan.routes].sort((x, y) => collects(y).length - collects(x).length) as [typeof plan.routes[0], typeof plan.routes[0]];
    // Lock the longer route's first bin.
    const locking = collects(a)[0]!;
    let before = plan.version;
    await page.lock(locking.stopId);
    await expect.poll(() => page.stop(locking.stopId).getAttribute('data-locked'), { timeout: 15_000 }).toBe('true');
    plan = await getPlan();
    expect(plan.version).toBe(before + 1);
    expect(collects(routeOf(plan, a.vehicleId)).find((s) => s.stopId === locking.stopId)?.locked).toBe(true);
    await page.showsVersion(plan);
    // Move its last bin to the other truck, first in its round (1 on the page).
    const moving = collects(routeOf(plan, a.vehicleId)).at(-1)!;
    expect(moving.stopId).not.toBe(locking.stopId);
    before = plan.version;
    await page.move(moving.stopId, b.vehicleId, 1);
    plan = await getPlan();
    expect(plan.version).toBe(before + 1);
    expect(collects(routeOf(plan, b.vehicleId))[0]?.stopId, `${moving.deviceId} first on ${b.vehicleId}`).toBe(moving.stopId);
    expect(collects(routeOf(plan, a.vehicleId)).map((s) => s.stopId)).not.toContain(moving.stopId);
    await page.showsVersion(plan);
    expect((await page.routesShown())[b.vehicleId]?.[0]).toBe(moving.deviceId);
    // The dispatcher selects the other truck's route: its load curve shows, and the map draws it on
    // top, the moved bin in its new truck's colour.
    await page.selectRoute(b.vehicleId);
    await expect.poll(() => page.page.getByTestId('plan-load-chart').getAttribute('data-vehicle-id'), { timeout: 10_000 }).toBe(b.vehicleId);
    await expect
      .poll(() => page.mapPixelsAt('04-map-moved', moving.lon, moving.lat, routeRgb(plan, b.vehicleId)), { timeout: 15_000, interval: 500, message: `${moving.deviceId} in ${b.vehicleId}'s colour` })
      .toBeGreaterThan(40);
    await page.shots.shot(page.page, '05-edited');
  });

  it('the dispatcher evens out the routes if need be and publishes: each truck\'s jobs carry its route order', async () => {
    // Planning minimises distance and time: one truck may get every stop. The dispatcher moves the
    // later half to the other truck (a locked move), so the breakdown below has somewhere to go.
    const [a, b] = [...plan.routes].sort((x, y) => collects(y).length - collects(x).length);
    expect(allCollects(plan).length, 'stops for two trucks').toBeGreaterThanOrEqual(4);
    if (collects(b!).length < 2) {
      const moving = collects(a!).slice(Math.ceil(allCollects(plan).length / 2));
      for (const [i, stop] of moving.entries()) {
        plan = await ok<RoutePlan>('POST', `/api/routing/plans/${plan.planId}/moves`, { version: plan.version, stopId: stop.stopId, toVehicleId: b!.vehicleId, toIndex: i });
        const moved = collects(routeOf(plan, b!.vehicleId)).find((s) => s.stopId === stop.stopId);
        expect(moved?.locked).toBe(true);
      }
    }
    for (const route of plan.routes) expect(collects(route).length, route.vehicleId).toBeGreaterThanOrEqual(2);

    // Published from the page, once it shows the plan as the moves above left it.
    await page.showsVersion(plan);
    await page.publish();
    await expect.poll(() => page.status().getAttribute('data-status'), { timeout: 15_000 }).toBe('published');
    plan = await getPlan();
    expect(plan.status).toBe('published');
    for (const route of plan.routes) {
      const jobs = await Promise.all(collects(route).map((s) => job(s.jobId!)));
      expect(jobs.map((j) => j.assignee?.unitId)).toEqual(jobs.map(() => route.vehicleId));
      expect(jobs.map((j) => j.deviceId)).toEqual(collects(route).map((s) => s.deviceId));
      const seqs = jobs.map((j) => routePlanOf(j)?.seq);
      expect(seqs.every((q) => typeof q === 'number')).toBe(true);
      expect([...seqs].sort((x, y) => x! - y!)).toEqual(seqs); // ascending along the route
      expect(jobs.map((j) => routePlanOf(j)?.planId)).toEqual(jobs.map(() => plan.planId));
      // The truck's driver sees the same jobs.
      const driverJobs = await api.jobs({ unitId: route.vehicleId, type: 'collection', status: 'assigned,en_route,on_site,done' });
      expect(jobs.filter((j) => !driverJobs.some((d) => d.jobId === j.jobId)).map((j) => j.jobId)).toEqual([]);
    }
    await live.waitFor('plan:changed', (e) => e.plan.planId === plan.planId && e.change === 'published', 10_000);
    // The truck with the longer route will break down after its first stop.
    [broken, other] = [...plan.routes].sort((x, y) => collects(y).length - collects(x).length).map((r) => r.vehicleId) as [string, string];
  });

  it('the trucks follow their routes: the first stops\' jobs go en route, on site and close with proof, in route order, and the plan shows them done', async () => {
    for (const route of [routeOf(plan, broken), routeOf(plan, other)]) {
      const first = collects(route)[0]!;
      const done = await live.waitFor('job:changed', (j) => j.jobId === first.jobId && j.status === 'done', 90_000);
      expect(done.data.proof?.stopVehicleId).toBe(route.vehicleId);
      expect(done.data.flags).not.toContain('unproven');
      // The driver set off (en_route) before the job closed; on_site may come after the proof at
      // this speed (a sim minute is half a real second), when it is refused as too late.
      const history = (await job(first.jobId!)).history ?? [];
      const steps = history.filter((h) => ['en_route', 'on_site', 'done'].includes(h.action));
      expect(steps[0]).toMatchObject({ action: 'en_route', by: expect.stringMatching(/^driver-\d+$/) });
      expect(steps.at(-1)?.action).toBe('done');
      if (route.vehicleId === broken) await breakDownOnTheWay();
    }
    await expect
      .poll(async () => (await getPlan()).routes.map((r) => collects(r)[0]!.progress), { timeout: 30_000, interval: 500 })
      .toEqual(plan.routes.map(() => 'done'));
    // The page, never reloaded, shows the first stops done from the live stream, and an ETA at a stop not yet reached.
    for (const route of plan.routes) {
      const first = collects(route)[0]!;
      await expect.poll(() => page.stop(first.stopId).getAttribute('data-progress'), { timeout: 15_000, message: `${first.deviceId} done on the page` }).toBe('done');
    }
    const ahead = page.page.locator('[data-testid="plan-stop"][data-kind="collect"][data-progress="planned"] [data-testid="plan-stop-eta"]');
    await expect.poll(() => ahead.count(), { timeout: 15_000, message: 'an ETA at a stop not yet reached' }).toBeGreaterThan(0);
    expect(Number.isFinite(Date.parse((await ahead.first().getAttribute('data-eta')) ?? ''))).toBe(true);
    await page.shots.shot(page.page, '06-live-progress');
    // Jobs finished so far were finished in route order — but for a bin standing next to another
    // planned stop (of either truck): a truck empties every bin where it stops, and the proof closes both.
    const now = await getPlan();
    const planned = now.routes.flatMap((r) => collects(r));
    let onSite = 0;
    for (const route of now.routes) {
      const stops = collects(route);
      const jobs = await Promise.all(stops.map((s) => job(s.jobId!)));
      const doneAt = jobs.map((j) => (j.status === 'done' ? Date.parse(j.completedAt!) : null));
      for (let b = 0; b < stops.length; b++) {
        const early = doneAt.some((at, a) => a < b && at !== null && doneAt[b] !== null && doneAt[b]! < at);
        if (!early) continue;
        const beside = planned.some((s) => s.stopId !== stops[b]!.stopId && haversineM(s, stops[b]!) <= 50);
        expect(beside, `${stops[b]!.deviceId} (stop ${b + 1}) finished before an earlier stop without standing next to another one`).toBe(true);
      }
      onSite += jobs.filter((j) => (j.history ?? []).some((h) => h.action === 'on_site' && /^driver-\d+$/.test(h.by))).length;
    }
    expect(onSite, 'jobs a driver reported on site').toBeGreaterThan(0);
    expect(live.of('plan:progress').some((e) => e.data.planId === plan.planId)).toBe(true);
  });

  it('the dispatcher reports the breakdown: the truck\'s remaining stops move to the other truck, whose stops under way stay first', async () => {
    const snapshot = await getPlan();
    const keptFirst = collects(routeOf(snapshot, other)).filter((s) => s.progress !== 'planned').map((s) => s.stopId);
    const left = collects(routeOf(snapshot, broken)).filter((s) => s.progress !== 'done' && s.progress !== 'skipped');

    plan = await ok<RoutePlan>('POST', `/api/routing/plans/${plan.planId}/breakdown`, { vehicleId: broken, note: 'hydraulics failed' });
    const gone = routeOf(plan, broken);
    expect(gone.progress?.withdrawn).toBe(true);
    // The withdrawn route keeps only what its truck finished; every other stop went to the other truck.
    const finished = async (jobId: string | null) => jobId !== null && ['done', 'cancelled'].includes((await job(jobId)).status);
    for (const s of collects(gone)) expect(s.progress === 'done' || (await finished(s.jobId)), `${s.stopId} kept on the withdrawn route (${s.progress})`).toBe(true);
    const takeover = collects(routeOf(plan, other)).map((s) => s.stopId);
    for (const s of left) {
      if (takeover.includes(s.stopId)) orphans.push(s.stopId);
      else expect(await finished(s.jobId), `${s.stopId} (${s.deviceId}, ${s.progress}) neither moved to ${other} nor finished`).toBe(true);
    }
    expect(orphans.length, 'stops moved to the other truck').toBeGreaterThan(0);
    const underWay = collects(routeOf(snapshot, other)).filter((s) => s.progress === 'en_route' || s.progress === 'on_site').length;
    process.stdout.write(`breakdown of ${broken}: ${orphans.length} stops moved to ${other}; ${keptFirst.length} of its stops done or under way (${underWay} under way) stay ahead\n`);
    // What the other truck had under way (or done) before the breakdown comes before anything it took over.
    const firstMoved = Math.min(...orphans.map((id) => takeover.indexOf(id)));
    for (const id of keptFirst) expect(takeover.indexOf(id), `${id} stays ahead`).toBeLessThan(firstMoved);
    expect(plan.history[0]).toMatchObject({ action: expect.stringMatching(/re-?plan/) });
    expect(plan.history[0]!.note).toMatch(/hydraulics failed/);
    await live.waitFor('plan:changed', (e) => e.plan.planId === plan.planId && e.change === 'replanned' && e.plan.version === plan.version, 10_000);
    // The moved stops' jobs now belong to the other truck, in its route order.
    const moved = await Promise.all(left.filter((s) => orphans.includes(s.stopId)).map((s) => job(s.jobId!)));
    expect(moved.map((j) => `${j.deviceId}:${j.status}:${j.assignee?.unitId}`)).toEqual(moved.map((j) => `${j.deviceId}:${j.status}:${other}`));
    expect(moved.map((j) => routePlanOf(j)?.vehicleId)).toEqual(moved.map(() => other));
    const order = collects(routeOf(plan, other)).map((s) => s.jobId);
    const bySeq = [...moved].sort((x, y) => routePlanOf(x)!.seq - routePlanOf(y)!.seq).map((j) => j.jobId);
    expect(bySeq).toEqual(order.filter((id) => moved.some((j) => j.jobId === id)));
  });

  it('the other truck sent off its route raises the off-route alert (socket event and an alarm on the truck)', async () => {
    sim.injectFault({ type: 'off-route', targets: [other], durationMs: 0.5 * HOUR });
    const event = await live.waitFor('plan:off-route', (e) => e.planId === plan.planId && e.vehicleId === other, 60_000);
    expect(event.data.offRouteM).toBeGreaterThan(150);
    await expect
      .poll(async () => (await api.alarms({ deviceId: other, cause: 'off-route' })).map((a: Alarm) => a.severity), { timeout: 30_000, interval: 500 })
      .toEqual(['warning']);
    // The dispatcher's page flags the truck.
    await page.page.locator(`[data-testid="plan-offroute"][data-vehicle-id="${other}"]`).waitFor({ timeout: 15_000 });
    await page.shots.shot(page.page, '07-off-route');
  });

  it('the other truck serves the stops it took over: their jobs close with its proof', async () => {
    const first = collects(routeOf(plan, other)).find((s) => orphans.includes(s.stopId))!;
    const done = await live.waitFor('job:changed', (j) => j.jobId === first.jobId && j.status === 'done', 120_000);
    expect(done.data.proof?.stopVehicleId).toBe(other);
    expect(done.data.flags).not.toContain('unproven');
    expect(sim.world.get(broken).kind === 'truck' && (sim.world.get(broken).state as { speedKmh: number }).speedKmh).toBe(0);
  });
});
