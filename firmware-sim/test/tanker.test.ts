import { describe, expect, it } from 'vitest';
import { registerVehicleSchema } from '@sanitation/contracts';
import { generateCity } from '../src/city/city.generator.js';
import { cityToGeoJson } from '../src/city/city-geojson.exporter.js';
import { FaultInjector } from '../src/faults/fault.injector.js';
import { parseFaultList } from '../src/faults/fault.types.js';
import { HOUR_MS } from '../src/physics/physics.types.js';
import { World } from '../src/physics/world.js';
import { demoVehicles, provisionUnits } from '../src/provision/fleet.provision.js';
import { haversineM } from '../src/shared/geo.js';
import { ProvisioningStandIn } from './helpers/provisioning-stand-in.js';

const local = (iso: string) => Date.parse(`${iso}+08:00`);

/** Steps every device to `end` in report order, as the scheduler would; returns each device's readings. */
function run(world: World, from: number, end: number, ids = [...world.devices.keys()]) {
  const readings = new Map<string, { t: number; v: Record<string, unknown> }[]>();
  const due = new Map(ids.map((id) => [id, from]));
  for (;;) {
    let next = '';
    let at = Infinity;
    for (const [id, t] of due) if (t < at) [next, at] = [id, t];
    if (at >= end) break;
    const v = world.measure(next, at) as Record<string, unknown>;
    readings.set(next, [...(readings.get(next) ?? []), { t: at, v }]);
    due.set(next, world.nextReportAt(next, at));
  }
  return readings;
}

describe('septic tankers and disposal sites', () => {
  const city = generateCity({ seed: 42, devices: 300 });
  const tankers = city.devices.filter((d) => d.attributes['vehicleType'] === 'tanker');

  it('the city has tankers serving every zone and a disposal site, exported with the GeoJSON', () => {
    expect(tankers.length).toBeGreaterThan(0);
    expect(city.devices.find((d) => d.id === 'truck-00001')?.attributes['vehicleType']).toBe('collection');
    expect(new Set(tankers.flatMap((t) => t.serviceZones))).toEqual(new Set(city.zones.map((z) => z.id)));
    expect(city.disposalSites.length).toBeGreaterThan(0);
    const geo = cityToGeoJson(city).features.filter((f) => f.properties.layer === 'disposal');
    expect(geo.map((f) => f.properties.id)).toEqual(city.disposalSites.map((s) => s.id));
    expect(geo[0]!.properties['radiusM']).toBeGreaterThan(0);
    // Every truck registers as a valid vehicle of the right skill.
    const vehicles = demoVehicles(city, () => ({ start: '05:30', end: '20:30' }));
    for (const v of vehicles) expect(registerVehicleSchema.safeParse(v).success, v.id).toBe(true);
    expect(vehicles.filter((v) => v.skill === 'septic').map((v) => v.id)).toEqual(tankers.map((t) => t.id));
  });

  it('a tanker pumps the fullest tank above the threshold, then unloads at the disposal site', () => {
    const start = local('2026-06-01T07:00:00');
    const world = new World(city, 42, start, 8, { pumpAtPct: 70 });
    const serviced: string[] = [];
    world.onServiced = (id) => serviced.push(id);
    const tanker = tankers[0]!;
    const tank = city.devices.find((d) => d.kind === 'septic' && tanker.serviceZones!.includes(d.zone))!;
    const rt = world.get(tank.id);
    if (rt.kind !== 'septic') throw new Error('not a tank');
    rt.state = { ...rt.state, levelPct: 90 };
    const readings = run(world, start, start + 4 * HOUR_MS, [tanker.id, tank.id]);
    // The tank's level fell to near empty and was reported at once.
    expect(rt.state.levelPct).toBeLessThan(5);
    expect(serviced).toContain(tank.id);
    const truckReadings = readings.get(tanker.id)!.map((r) => r.v as { lat: number; lon: number; speedKmh: number; loadKg: number });
    const stoppedAt = (p: { lat: number; lon: number }, radiusM: number) => truckReadings.some((r) => r.speedKmh === 0 && r.loadKg > 0 && haversineM(r, p) <= radiusM);
    expect(stoppedAt(tank, 50)).toBe(true);
    const site = city.disposalSites[0]!;
    expect(stoppedAt(site, site.radiusM!)).toBe(true);
    expect(truckReadings.at(-1)!.loadKg).toBe(0);
  });

  it('skip-disposal: the tanker pumps, then goes back to its depot and never stops at a disposal site', () => {
    const start = local('2026-06-01T07:00:00');
    const world = new World(city, 42, start, 8, { pumpAtPct: 70 });
    const faults = new FaultInjector(city, world, 42);
    const tanker = tankers[0]!;
    faults.inject({ type: 'skip-disposal', targets: [tanker.id] }, start);
    expect(() => faults.inject({ type: 'skip-disposal', targets: ['truck-00001'] }, start)).toThrow(/not a tanker/);
    expect(faults.inject({ type: 'skip-disposal', count: 1 }, start).deviceIds.every((id) => tankers.some((t) => t.id === id))).toBe(true);
    const tank = city.devices.find((d) => d.kind === 'septic' && tanker.serviceZones!.includes(d.zone))!;
    const rt = world.get(tank.id);
    if (rt.kind !== 'septic') throw new Error('not a tank');
    rt.state = { ...rt.state, levelPct: 90 };
    const readings = run(world, start, start + 5 * HOUR_MS, [tanker.id, tank.id]);
    expect(rt.state.levelPct).toBeLessThan(5);
    const truck = readings.get(tanker.id)!.map((r) => r.v as { lat: number; lon: number; speedKmh: number; loadKg: number });
    expect(truck.some((r) => r.loadKg > 0)).toBe(true);
    const site = city.disposalSites[0]!;
    expect(truck.filter((r) => haversineM(r, site) <= site.radiusM! && r.speedKmh === 0)).toEqual([]);
    const depot = city.depots.find((d) => d.id === tanker.attributes['depot'])!;
    expect(haversineM(truck.at(-1)!, depot)).toBeLessThan(5);
  });

  it('fast-fill: a bin fills at the given extra rate and a collection truck empties it', () => {
    expect(parseFaultList('fast-fill:2')).toEqual([{ type: 'fast-fill', count: 2 }]);
    const start = local('2026-06-01T07:00:00');
    const world = new World(city, 42, start, 8, { collectAtPct: 90 });
    const faults = new FaultInjector(city, world, 42);
    const bin = city.devices.find((d) => d.kind === 'bin')!;
    const rt = world.get(bin.id);
    if (rt.kind !== 'bin') throw new Error('not a bin');
    rt.state = { ...rt.state, fillPct: 20 };
    faults.inject({ type: 'fast-fill', targets: [bin.id], ratePctH: 40 }, start);
    const trucks = city.devices.filter((d) => d.kind === 'truck' && d.attributes['vehicleType'] === 'collection' && d.serviceZones!.includes(bin.zone));
    const readings = run(world, start, start + 4 * HOUR_MS, [bin.id, ...trucks.map((t) => t.id)]);
    const fills = readings.get(bin.id)!.map((r) => r.v['fillPct'] as number);
    // It climbed through 80–90 % within about two hours, and was emptied (a drop of ≥ 30 points).
    const crossed = readings.get(bin.id)!.find((r) => (r.v['fillPct'] as number) >= 80)!;
    expect(crossed.t - start).toBeLessThan(2 * HOUR_MS);
    expect(fills.some((f, i) => i > 0 && fills[i - 1]! - f >= 30)).toBe(true);
    expect(rt.state.emptied).toBeGreaterThan(0);
    // The emptying truck's own reports show it standing at the bin (what proof of service needs).
    const stops = trucks.flatMap((t) => readings.get(t.id) ?? []).map((r) => r.v as { lat: number; lon: number; speedKmh: number; ignition: boolean });
    expect(stops.some((r) => r.ignition && r.speedKmh === 0 && haversineM(r, bin) <= 50)).toBe(true);
  });
});

describe('fleet provisioning', () => {
  it('registers vehicles, crews (with member accounts) and disposal sites; a re-run changes nothing', async () => {
    const city = generateCity({ seed: 42, devices: 300 });
    const standIn = await new ProvisioningStandIn('pw-admin-123').start();
    try {
      const opts = { serverUrl: standIn.url, adminUser: 'admin', adminPassword: 'pw-admin-123', crewPassword: 'crew-pass-123', truckShift: () => ({ start: '05:30', end: '20:30' }) };
      const first = await provisionUnits(city, opts);
      const trucks = city.devices.filter((d) => d.kind === 'truck').length;
      // One account per crew member and one driver per truck.
      expect(first).toEqual({ vehicles: trucks, crews: 2, disposalSites: city.disposalSites.length, operators: 2 + trucks, unsupported: [] });
      const crews = [...standIn.units.get('/api/crews')!.values()] as { skill: string; members: string[] }[];
      expect(crews.map((c) => c.skill).sort()).toEqual(['lighting', 'toilet']);
      expect(standIn.units.get('/api/auth/operators')!.has(crews[0]!.members[0]!)).toBe(true);
      const vehicles = [...standIn.units.get('/api/vehicles')!.values()] as { members: string[] }[];
      expect(vehicles.every((v) => v.members.length === 1 && standIn.units.get('/api/auth/operators')!.has(v.members[0]!))).toBe(true);
      const again = await provisionUnits(city, opts);
      expect(again).toEqual({ vehicles: 0, crews: 0, disposalSites: 0, operators: 0, unsupported: [] });
      standIn.unitsUnsupported = true;
      const old = await provisionUnits(city, opts);
      expect(old.unsupported).toEqual(['/api/auth/operators', '/api/disposal-sites', '/api/vehicles', '/api/crews']);
    } finally {
      await standIn.stop();
    }
  });
});
