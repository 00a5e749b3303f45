import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/database/database.js';
import { CustodyRepository } from '../../src/fleet/custody.repository.js';
import { FleetRepository } from '../../src/fleet/fleet.repository.js';
import { DRIVERS, openMigrated, type TestDatabaseFactory } from '../support/databases.js';

const T0 = Date.UTC(2026, 5, 1, 2, 0);
const H = 3_600_000;
const shift = { start: '06:00', end: '18:00' };

describe.each(DRIVERS)('fleet repositories on $driver', ({ factory: makeFactory }) => {
  let factory: TestDatabaseFactory;
  let db: Database;
  let fleet: FleetRepository;
  let custody: CustodyRepository;

  beforeAll(async () => {
    factory = makeFactory();
    db = await openMigrated(factory);
    fleet = new FleetRepository(db);
    custody = new CustodyRepository(db);
  });
  afterAll(async () => factory?.cleanup());

  it('stores vehicles once per id and per GPS device', async () => {
    const v = { id: 'truck-a', name: 'Truck A', skill: 'collection' as const, deviceId: 'gps-a', capacityKg: 5000, shift };
    expect(await fleet.insertVehicle({ ...v, members: ['driver-a'] })).toEqual({ vehicleId: 'truck-a', name: 'Truck A', skill: 'collection', deviceId: 'gps-a', capacityKg: 5000, shift, contractor: null, members: ['driver-a'] });
    expect(await fleet.insertVehicle({ ...v, deviceId: 'gps-b' })).toBeNull();
    expect(await fleet.insertVehicle({ ...v, id: 'truck-b' })).toBeNull();
    expect((await fleet.findVehicleByDevice('gps-a'))?.vehicleId).toBe('truck-a');
    expect((await fleet.listVehicles()).map((x) => x.vehicleId)).toEqual(['truck-a']);
  });

  it('stores crews with members and keeps the newest reported position', async () => {
    const crew = { id: 'crew-1', name: 'Crew 1', skill: 'lighting' as const, members: ['li', 'wang'], capacityJobs: 4, shift, base: { lat: 30.2, lon: 120.1 } };
    expect(await fleet.insertCrew(crew)).toMatchObject({ crewId: 'crew-1', members: ['li', 'wang'], capacityJobs: 4, base: crew.base, reported: null });
    expect(await fleet.insertCrew(crew)).toBeNull();
    await fleet.setCrewPosition('crew-1', { lat: 30.3, lon: 120.2 }, T0 + 60_000);
    await fleet.setCrewPosition('crew-1', { lat: 1, lon: 1 }, T0); // older: ignored
    expect((await fleet.findCrew('crew-1'))?.reported).toEqual({ lat: 30.3, lon: 120.2, at: new Date(T0 + 60_000).toISOString() });
    expect(await fleet.setCrewPosition('nobody', { lat: 1, lon: 1 }, T0)).toBeNull();
  });

  it('stores disposal sites once', async () => {
    const site = { id: 'site-1', name: 'Plant', lat: 30.1, lon: 120.3, radiusM: 120 };
    expect(await fleet.insertDisposalSite(site)).toEqual(site);
    expect(await fleet.insertDisposalSite(site)).toBeNull();
    expect(await fleet.listDisposalSites()).toEqual([site]);
  });

  it('auto-assign defaults on per skill, changes are stored and merged', async () => {
    expect(await fleet.getAutoAssign()).toEqual({ collection: true, septic: true, toilet: true, lighting: true });
    expect(await fleet.setAutoAssign({ septic: false }, 'disp', T0)).toEqual({ collection: true, septic: false, toilet: true, lighting: true });
    expect(await fleet.setAutoAssign({ septic: true, lighting: false }, 'disp', T0)).toEqual({ collection: true, septic: true, toilet: true, lighting: false });
  });

  it('records a pump once, disposes it at a site, reports an overdue custody breached once', async () => {
    const pump = { vehicleDeviceId: 'tanker-1', sourceDeviceId: 'tank-1', jobId: '42', pumpedAt: T0, deadlineAt: T0 + 3 * H };
    const created = await custody.insert(pump);
    expect(created).toMatchObject({ vehicleDeviceId: 'tanker-1', sourceDeviceId: 'tank-1', jobId: '42', disposedAt: null, breachedAt: null });
    expect(await custody.insert(pump)).toBeNull(); // replayed readings
    expect(await custody.insert({ ...pump, pumpedAt: T0 + 1000 })).toBeNull(); // same tanker and tank still open
    const other = await custody.insert({ ...pump, sourceDeviceId: 'tank-2', jobId: null, pumpedAt: T0 + H, deadlineAt: T0 + 4 * H });
    expect(other?.jobId).toBeNull();

    expect(await custody.overdue(T0 + 3 * H)).toEqual([]);
    const overdue = await custody.overdue(T0 + 3.5 * H);
    expect(overdue.map((c) => c.sourceDeviceId)).toEqual(['tank-1']);
    expect(await custody.markBreached(created!.custodyId, T0 + 3.5 * H)).toBe(true);
    expect(await custody.markBreached(created!.custodyId, T0 + 3.6 * H)).toBe(false);
    expect(await custody.overdue(T0 + 3.6 * H)).toEqual([]);

    // Unloading closes every open custody of the tanker pumped before the stop.
    const disposed = await custody.dispose('tanker-1', 'site-1', T0 + 3.7 * H);
    expect(disposed.map((c) => c.sourceDeviceId).sort()).toEqual(['tank-1', 'tank-2']);
    expect(disposed.find((c) => c.sourceDeviceId === 'tank-1')).toMatchObject({ disposalSiteId: 'site-1', breachedAt: new Date(T0 + 3.5 * H).toISOString() });
    expect(await custody.dispose('tanker-1', 'site-1', T0 + 4 * H)).toEqual([]);
    expect(await custody.overdue(T0 + 10 * H)).toEqual([]);
    expect((await custody.list({ open: false })).length).toBe(2);

    // Already unloaded when the pump is confirmed.
    const late = await custody.insert({ ...pump, pumpedAt: T0 + 5 * H, deadlineAt: T0 + 8 * H, disposed: { at: T0 + 5.5 * H, siteId: 'site-1' } });
    expect(late).toMatchObject({ disposalSiteId: 'site-1', disposedAt: new Date(T0 + 5.5 * H).toISOString() });
    expect(await custody.list({ open: true })).toEqual([]);
  });
});
