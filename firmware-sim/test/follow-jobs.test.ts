import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from '@sanitation/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCity } from '../src/city/city.generator.js';
import type { City } from '../src/city/city.types.js';
import { orderStops, StaticJobSource, type AssignedStop } from '../src/dispatch/assigned-stops.js';
import { ServerJobsSource } from '../src/dispatch/server-jobs.source.js';
import { FaultInjector } from '../src/faults/fault.injector.js';
import { HOUR_MS } from '../src/physics/physics.types.js';
import { World } from '../src/physics/world.js';
import { haversineM } from '../src/shared/geo.js';

const local = (iso: string) => Date.parse(`${iso}+08:00`);
const START = local('2026-06-01T08:00:00'); // every truck in shift

function job(jobId: string, deviceId: string, over: Partial<Job> = {}): Job {
  return {
    jobId, type: 'collection', cause: 'bin-full', deviceId, deviceKind: 'bin', zone: 'zone-a02', contractor: null, lat: 0, lon: 0, priority: 3,
    status: 'assigned', message: '', details: {}, createdAt: '2026-06-01T00:00:00Z', dueAt: '2026-06-01T06:00:00Z', updatedAt: '2026-06-01T00:00:00Z',
    completedAt: null, assignee: { unitType: 'vehicle', unitId: 'truck-00002' }, proposal: null, unsafe: false, flags: [], proof: null, alarmId: null, ...over,
  };
}
const planned = (seq: number) => ({ details: { routePlan: { planId: 'plan-1', vehicleId: 'truck-00002', seq, plannedAt: '2026-06-01T00:00:00Z' } } });

function stop(jobId: string, deviceId: string, seq: number | null): AssignedStop {
  return { jobId, deviceId, status: 'assigned', planId: seq === null ? null : 'plan-1', seq, dueAt: START + HOUR_MS };
}

/** Drives the truck in 30 s steps until `until` returns true or `maxH` sim hours pass; returns its fixes. */
function drive(world: World, truckId: string, from: number, maxH: number, until: () => boolean = () => false) {
  const fixes: { lat: number; lon: number; t: number; binId: string | null }[] = [];
  for (let t = from; t < from + maxH * HOUR_MS && !until(); t += 30_000) {
    const v = world.measure(truckId, t) as { lat: number; lon: number };
    const rt = world.get(truckId);
    const dest = rt.kind === 'truck' ? rt.state.dest : null;
    fixes.push({ lat: v.lat, lon: v.lon, t, binId: dest?.kind === 'bin' ? dest.binId : null });
  }
  return fixes;
}

/** Four bins of zone a02 (served by truck-00002), emptiest first: not the order the truck would pick itself. */
function binsOf(city: City, world: World, zone = 'zone-a02', n = 4): string[] {
  const fill = (id: string) => {
    const rt = world.get(id);
    return rt.kind === 'bin' ? rt.state.fillPct : 0;
  };
  return city.devices.filter((d) => d.kind === 'bin' && d.zone === zone).map((d) => d.id).sort((a, b) => fill(a) - fill(b)).slice(0, n);
}

describe('serving order of a truck\'s jobs', () => {
  it('route stops by seq, then jobs without a route by due time; jobs under way first', () => {
    const jobs = [
      job('j-free-late', 'b1', { dueAt: '2026-06-01T09:00:00Z' }),
      job('j-seq2', 'b2', planned(2)),
      job('j-free-early', 'b3', { dueAt: '2026-06-01T07:00:00Z' }),
      job('j-seq1', 'b4', planned(1)),
      job('j-seq3-going', 'b5', { ...planned(3), status: 'en_route' }),
      job('j-done', 'b6', { ...planned(0), status: 'done' }),
      job('j-pumping', 'b7', { type: 'pumping' }),
    ];
    expect(orderStops(jobs).map((s) => s.jobId)).toEqual(['j-seq3-going', 'j-seq1', 'j-seq2', 'j-free-early', 'j-free-late']);
  });
});

describe('collection trucks follow the server\'s dispatch', () => {
  const city = generateCity({ seed: 42, devices: 300 });

  it('a truck visits its assigned bins in the given order, reporting en route and on site, and empties them', () => {
    const world = new World(city, 42, START);
    const bins = binsOf(city, world);
    const order = [bins[2]!, bins[0]!, bins[3]!, bins[1]!];
    const source = new StaticJobSource(new Map([['truck-00002', order.map((b, i) => stop(`job-${i}`, b, i + 1))]]));
    world.jobSource = source;
    const onSite = () => source.progress.filter((p) => p.status === 'on_site');
    drive(world, 'truck-00002', START, 6, () => onSite().length >= 4);
    expect(onSite().map((p) => p.jobId)).toEqual(['job-0', 'job-1', 'job-2', 'job-3']);
    // Each trip is announced when the truck sets off, before it arrives.
    expect(source.progress.map((p) => `${p.jobId}:${p.status}`)).toEqual(order.flatMap((_, i) => [`job-${i}:en_route`, `job-${i}:on_site`]));
    for (const b of order) {
      const rt = world.get(b);
      expect(rt.kind === 'bin' && rt.state.emptied).toBeGreaterThan(0);
    }
    // Arrival is at the bin.
    const truck = world.get('truck-00002');
    expect(haversineM(truck.state as { lat: number; lon: number }, world.get(order[3]!).spec)).toBeLessThan(60);
  });

  it('jobs the server no longer lists are dropped; without jobs a truck chooses bins itself, leaving others\' jobs alone', () => {
    const world = new World(city, 42, START, 8, { collectAtPct: 0 });
    const bins = binsOf(city, world, 'zone-a02', 20).reverse(); // fullest first: what truck-00002 would pick
    const source = new StaticJobSource(new Map([['truck-00014', bins.slice(0, 3).map((b, i) => stop(`other-${i}`, b, i))]]));
    world.jobSource = source;
    // truck-00002 (same zone) has no jobs: it goes for the fullest bins, never those assigned to truck-00014.
    const t0 = START;
    const visited = new Set(drive(world, 'truck-00002', t0, 3).map((f) => f.binId).filter((b) => b !== null));
    expect(visited.size).toBeGreaterThan(2);
    expect(bins.slice(0, 3).filter((b) => visited.has(b))).toEqual([]);
    expect(source.progress.filter((p) => p.truckId === 'truck-00002')).toEqual([]);
    // A job withdrawn (reassigned) before the truck sets off is not served.
    source.set('truck-00014', [stop('other-0', bins[0]!, 0), stop('other-2', bins[2]!, 2)]);
    drive(world, 'truck-00014', t0, 4, () => source.progress.filter((p) => p.status === 'on_site').length >= 2);
    expect(source.progress.filter((p) => p.status === 'on_site').map((p) => p.jobId)).toEqual(['other-0', 'other-2']);
  });

  it('the off-route fault sends the truck on a detour far from its route, then back to it', () => {
    const far = (withFault: boolean) => {
      const world = new World(city, 42, START);
      const bins = binsOf(city, world);
      const source = new StaticJobSource(new Map([['truck-00002', bins.map((b, i) => stop(`job-${i}`, b, i))]]));
      world.jobSource = source;
      if (withFault) new FaultInjector(city, world, 42).inject({ type: 'off-route', targets: ['truck-00002'], durationMs: 2 * HOUR_MS }, START);
      const fixes = drive(world, 'truck-00002', START, 8, () => source.progress.filter((p) => p.status === 'on_site').length >= bins.length);
      const route = [city.nodes[world.get('truck-00002').spec.nodeId]!, ...bins.map((b) => world.get(b).spec)];
      const maxAway = Math.max(...fixes.map((f) => Math.min(...route.map((r) => haversineM(f, r)))));
      return { maxAway, served: source.progress.filter((p) => p.status === 'on_site').length, bins: bins.length };
    };
    const normal = far(false);
    const off = far(true);
    expect(off.served).toBe(off.bins); // it still gets there
    expect(off.maxAway).toBeGreaterThan(600);
    expect(off.maxAway).toBeGreaterThan(normal.maxAway + 300);
  });

  it('a broken-down truck stands still, engine off, until the fault ends; then it serves its jobs again', () => {
    const world = new World(city, 42, START);
    const bins = binsOf(city, world);
    const source = new StaticJobSource(new Map([['truck-00002', bins.map((b, i) => stop(`job-${i}`, b, i))]]));
    world.jobSource = source;
    const onSite = () => source.progress.filter((p) => p.status === 'on_site').length;
    const moving = drive(world, 'truck-00002', START, 2, () => onSite() >= 1);
    const t1 = moving.at(-1)!.t + 30_000;
    const faults = new FaultInjector(city, world, 42);
    const fault = faults.inject({ type: 'breakdown', targets: ['truck-00002'] }, t1);
    const stuck = drive(world, 'truck-00002', t1, 2);
    const readings = stuck.map((f) => world.measure('truck-00002', f.t) as { speedKmh: number; ignition: boolean });
    expect(new Set(stuck.map((f) => `${f.lat},${f.lon}`)).size).toBe(1);
    expect(readings.every((r) => r.speedKmh === 0 && !r.ignition)).toBe(true);
    expect(onSite()).toBe(1);
    faults.clear(fault.id, t1 + 2 * HOUR_MS);
    drive(world, 'truck-00002', t1 + 2 * HOUR_MS, 4, () => onSite() >= bins.length);
    expect(source.progress.filter((p) => p.status === 'on_site').map((p) => p.jobId)).toEqual(bins.map((_, i) => `job-${i}`));
  });
});

describe('the trucks\' jobs over HTTP', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('polls the open collection jobs with the admin login, per truck in serving order, and posts progress as the driver', async () => {
    const calls: string[] = [];
    const jobs = [
      job('j2', 'bin-b', planned(2)),
      job('j1', 'bin-a', planned(1)),
      job('j9', 'bin-c', { assignee: { unitType: 'vehicle', unitId: 'truck-99999' } }), // not ours
      job('jc', 'bin-d', { assignee: { unitType: 'crew', unitId: 'crew-1' } }),
    ];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const send = (status: number, data: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
        if (req.url === '/api/auth/login') {
          const { username } = JSON.parse(body) as { username: string };
          return send(200, { token: `tok-${username}`, expiresAt: '2030-01-01T00:00:00Z', user: { username, role: username === 'admin' ? 'admin' : 'crew' } });
        }
        calls.push(`${req.method} ${req.url} ${req.headers.authorization} ${body}`);
        if (req.method === 'GET' && req.url?.startsWith('/api/jobs?')) return send(200, { items: jobs, total: jobs.length });
        if (req.url === '/api/jobs/j2/transition') return send(409, { message: 'jobs move forward only' });
        return send(200, {});
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const logs: string[] = [];
    const source = new ServerJobsSource({
      serverUrl: url, adminUser: 'admin', adminPassword: 'admin-pass', crewPassword: 'crew-pass-1',
      drivers: new Map([['truck-00002', 'driver-2']]), speed: 600, pollSimMs: 120_000, minPollRealMs: 1_000, log: (m) => logs.push(m),
    });
    await source.pollOnce();
    const poll = new URL(calls[0]!.split(' ')[1]!, url);
    expect(poll.pathname).toBe('/api/jobs');
    expect(Object.fromEntries(poll.searchParams)).toMatchObject({ type: 'collection', status: 'assigned,en_route,on_site' });
    expect(calls[0]).toContain('Bearer tok-admin');
    expect(source.stopsFor('truck-00002').map((s) => s.deviceId)).toEqual(['bin-a', 'bin-b']);
    expect(source.stopsFor('truck-99999')).toEqual([]);
    expect(source.isAssigned('bin-a') && !source.isAssigned('bin-c')).toBe(true);
    source.onProgress('truck-00002', 'j1', 'en_route', START);
    source.onProgress('truck-00002', 'j1', 'on_site', START + 60_000);
    source.onProgress('truck-00002', 'j2', 'en_route', START + 120_000);
    await source.stop();
    expect(calls.slice(1)).toEqual([
      'POST /api/jobs/j1/transition Bearer tok-driver-2 {"status":"en_route"}',
      'POST /api/jobs/j1/transition Bearer tok-driver-2 {"status":"on_site"}',
      'POST /api/jobs/j2/transition Bearer tok-driver-2 {"status":"en_route"}',
    ]);
    // The trucks' lists are logged when they change; a 409 (the job moved on) is not an error.
    expect(logs).toEqual(['truck-00002 follows 2 jobs: bin-a#1 bin-b#2']);
    // Bounded real-time rate: at 600× two sim minutes would be 200 ms; polls stay ≥ 1 s apart.
    expect(source.periodMs).toBe(1_000);
  });
});
