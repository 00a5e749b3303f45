import SunCalc from 'suncalc';
import { describe, expect, it } from 'vitest';
import { generateCity } from '../src/city/city.generator.js';
import { initBin, stepBin } from '../src/physics/bin.model.js';
import { HOUR_MS, type Env } from '../src/physics/physics.types.js';
import { initSeptic, stepSeptic } from '../src/physics/septic.model.js';
import { initStreetlight, NIGHT_DIM_PCT, stepStreetlight, type StreetlightParams } from '../src/physics/streetlight.model.js';
import { SunSchedule } from '../src/physics/sun-schedule.js';
import { initToilet, readToilet, stepToilet } from '../src/physics/toilet.model.js';
import { COLLECT_RADIUS_M, World } from '../src/physics/world.js';
import { haversineM } from '../src/shared/geo.js';
import { Rng } from '../src/shared/rng.js';

const HZ: Env = { utcOffsetH: 8, lat: 30.2741, lon: 120.1551 };
const local = (iso: string) => Date.parse(`${iso}+08:00`);

describe('bins', () => {
  it('fill faster in commercial zones and at meal times than at night', () => {
    const rng = new Rng(1);
    const s0 = { ...initBin(rng), fillPct: 0 };
    const p = { capacityL: 240, usage: 1 };
    const grow = (zoneType: 'commercial' | 'residential', from: string) =>
      stepBin(s0, { ...p, zoneType }, HZ, local(from), 2 * HOUR_MS, new Rng(2)).fillPct;
    expect(grow('commercial', '2026-06-01T11:30:00')).toBeGreaterThan(grow('residential', '2026-06-01T11:30:00'));
    expect(grow('commercial', '2026-06-01T11:30:00')).toBeGreaterThan(3 * grow('commercial', '2026-06-01T02:00:00'));
    // A day fills a busy bin most of the way, and it never passes 100 %.
    let s = s0;
    for (let h = 0; h < 48; h++) s = stepBin(s, { ...p, zoneType: 'commercial' }, HZ, local('2026-06-01T00:00:00') + h * HOUR_MS, HOUR_MS, rng);
    expect(s.fillPct).toBe(100);
  });

  it('are emptied by a truck that stops next to them', () => {
    const city = generateCity({ seed: 42, devices: 600 });
    const start = local('2026-06-01T06:00:00');
    const world = new World(city, 42, start);
    // Let the day run: trucks dispatch themselves to the fullest bins of their zones.
    const ids = city.devices.map((d) => d.id);
    const due = new Map(ids.map((id) => [id, start]));
    const end = start + 12 * HOUR_MS;
    const fills = new Map<string, number[]>();
    for (;;) {
      let next = '';
      let at = Infinity;
      for (const [id, t] of due) if (t < at) [next, at] = [id, t];
      if (at >= end) break;
      const v = world.measure(next, at);
      if (typeof v.fillPct === 'number') fills.set(next, [...(fills.get(next) ?? []), v.fillPct]);
      due.set(next, world.nextReportAt(next, at));
    }
    const bins = [...world.devices.values()].filter((d) => d.kind === 'bin');
    const emptied = bins.filter((b) => b.kind === 'bin' && b.state.emptied > 0);
    expect(emptied.length).toBeGreaterThan(10);
    // Each emptying shows in the bin's readings as a drop to a few percent.
    const dropped = emptied.filter((b) => (fills.get(b.spec.id) ?? []).some((f, i, a) => i > 0 && a[i - 1]! >= 40 && f <= 8));
    expect(dropped.length).toBeGreaterThan(0);
    const trucks = [...world.devices.values()].filter((d) => d.kind === 'truck');
    expect(trucks.some((t) => t.kind === 'truck' && t.state.odometerM > 1000)).toBe(true);
  });

  it('trucks drive the street graph, take a full load to the transfer station and park at night', () => {
    const city = generateCity({ seed: 42, devices: 600 });
    const start = local('2026-06-01T09:00:00');
    const world = new World(city, 42, start);
    const truck = world.get('truck-00001');
    if (truck.kind !== 'truck') throw new Error('not a truck');
    world.measure(truck.spec.id, start + 60_000); // wakes up in shift
    truck.state = { ...truck.state, loadKg: truck.params.payloadKg }; // full
    let atTransfer = false;
    const positions: { lat: number; lon: number; speedKmh: number }[] = [];
    for (let t = start + 90_000; t < start + 4 * HOUR_MS; t += 30_000) {
      const v = world.measure(truck.spec.id, t) as { lat: number; lon: number; speedKmh: number; loadKg: number; ignition: boolean };
      positions.push(v);
      expect(v.ignition).toBe(true);
      expect(v.speedKmh).toBeLessThanOrEqual(50);
      if (haversineM(v, city.transfer) < 5 && v.speedKmh === 0) atTransfer = true;
      if (atTransfer && v.loadKg === 0) break;
    }
    expect(atTransfer).toBe(true);
    expect(truck.state.loadKg).toBe(0);
    // It moved in plausible steps: never more than 50 km/h × 30 s (+ rounding) between fixes.
    for (let i = 1; i < positions.length; i++) expect(haversineM(positions[i - 1]!, positions[i]!)).toBeLessThan(430);
    // After the shift it goes home and switches off.
    const night = world.measure(truck.spec.id, local('2026-06-01T23:30:00'));
    expect(night).toMatchObject({ ignition: false, speedKmh: 0 });
    const depot = city.depots.find((d) => d.id === truck.spec.attributes.depot)!;
    expect(haversineM(night as { lat: number; lon: number }, depot)).toBeLessThan(5);
  });

  it('empties only the bins within 30 m of the stop', () => {
    const city = generateCity({ seed: 42, devices: 600 });
    const world = new World(city, 42, local('2026-06-01T08:00:00'));
    const target = [...world.devices.values()].find((d) => d.kind === 'bin')!;
    const t = local('2026-06-01T10:00:00');
    for (const rt of world.devices.values()) if (rt.kind === 'bin') world.measure(rt.spec.id, t);
    const kg = world.collectAround(target.spec.lat, target.spec.lon, t);
    expect(kg).toBeGreaterThan(0);
    for (const rt of world.devices.values()) {
      if (rt.kind !== 'bin') continue;
      const near = haversineM(rt.spec, target.spec) <= COLLECT_RADIUS_M;
      expect(rt.state.emptied > 0, rt.spec.id).toBe(near);
      if (near) expect(rt.state.fillPct).toBeLessThanOrEqual(5);
    }
  });
});

describe('streetlights', () => {
  const p: StreetlightParams = { ratedPowerW: 150, offsetMs: 0, failureMode: 'relay' };
  const sun = new SunSchedule(HZ);
  const at = (t: number) => stepStreetlight(initStreetlight(), p, sun, t, 0, new Rng(1));

  it('are on after sunset and off after sunrise for Hangzhou (suncalc), dimmed after midnight', () => {
    for (const day of ['2026-06-21', '2026-12-21', '2026-03-20']) {
      const times = SunCalc.getTimes(new Date(local(`${day}T12:00:00`)), HZ.lat, HZ.lon);
      const sunset = times.sunset.getTime();
      const sunrise = times.sunrise.getTime();
      expect(at(sunset - 10 * 60_000).lampOn, `${day} before sunset`).toBe(false);
      const evening = at(sunset + 10 * 60_000);
      expect(evening).toMatchObject({ lampOn: true, dimPct: 100 });
      expect(evening.powerW).toBeGreaterThan(140);
      expect(evening.powerW).toBeLessThan(165);
      expect(at(sunrise - 10 * 60_000)).toMatchObject({ lampOn: true });
      expect(at(sunrise + 10 * 60_000)).toMatchObject({ lampOn: false, powerW: 0 });
      const night = at(local(`${day}T02:00:00`));
      expect(night).toMatchObject({ lampOn: true, dimPct: NIGHT_DIM_PCT });
      expect(night.powerW).toBeLessThan(90);
      expect(night.voltageV).toBeGreaterThan(200);
      expect(night.voltageV).toBeLessThan(240);
    }
  });

  it('report every ~15 min plus at each switch, never in a loop at a switching point', () => {
    const city = generateCity({ seed: 42, devices: 600 });
    const start = local('2026-06-01T00:00:00');
    const world = new World(city, 42, start);
    const end = start + 48 * HOUR_MS;
    for (const lamp of city.devices.filter((d) => d.kind === 'streetlight')) {
      let n = 0;
      // As the simulation does: readings carry whole-millisecond timestamps.
      for (let t = start; t < end && n < 1000; t = Math.round(world.nextReportAt(lamp.id, t))) {
        world.measure(lamp.id, t);
        n++;
      }
      // 2 days × 96 periodic (±10 % jitter) + 4 switches a day.
      expect(n, lamp.id).toBeGreaterThan(170);
      expect(n, lamp.id).toBeLessThan(230);
    }
  });

  it('accumulate energy only while lit', () => {
    let s = initStreetlight();
    const rng = new Rng(3);
    let t = local('2026-06-01T12:00:00');
    for (let i = 0; i < 24 * 4; i++, t += 15 * 60_000) s = stepStreetlight(s, p, sun, t, 15 * 60_000, rng);
    // ~9.5 h of darkness in June, part of it at 50 %: between 0.7 and 1.6 kWh for a 150 W lamp.
    expect(s.energyWh).toBeGreaterThan(700);
    expect(s.energyWh).toBeLessThan(1600);
  });

  it('show lamp failure at night and day-burning by day', () => {
    const night = local('2026-06-01T22:00:00');
    const fail = stepStreetlight(initStreetlight(), p, sun, night, 0, new Rng(1), { lampFailure: true });
    expect(fail).toMatchObject({ lampOn: false, powerW: 0 });
    const burnt = stepStreetlight(initStreetlight(), { ...p, failureMode: 'lamp' }, sun, night, 0, new Rng(1), { lampFailure: true });
    expect(burnt).toMatchObject({ lampOn: true, powerW: 0 });
    const day = stepStreetlight(initStreetlight(), p, sun, local('2026-06-01T12:00:00'), 0, new Rng(1), { dayBurning: true });
    expect(day.lampOn).toBe(true);
    expect(day.powerW).toBeGreaterThan(100);
  });
});

describe('septic tanks', () => {
  it('rise slowly: a few percent a day, never full within a day', () => {
    const rng = new Rng(4);
    let s = { ...initSeptic(rng), levelPct: 10 };
    const start = local('2026-06-01T00:00:00');
    for (let h = 0; h < 24; h++) s = stepSeptic(s, { tankM3: 50, daysToFill: 30 }, HZ, start + h * HOUR_MS, HOUR_MS, rng);
    expect(s.levelPct).toBeGreaterThan(11);
    expect(s.levelPct).toBeLessThan(20);
    for (let d = 1; d < 10; d++) for (let h = 0; h < 24; h++) s = stepSeptic(s, { tankM3: 50, daysToFill: 30 }, HZ, start + (d * 24 + h) * HOUR_MS, HOUR_MS, rng);
    expect(s.levelPct).toBeGreaterThan(30);
  });
});

describe('toilets', () => {
  it('odour grows with visits, and a cleaning round brings it down', () => {
    const p = { stalls: 8, zoneType: 'commercial' as const };
    // Fresh after a cleaning round, no odour yet: an hour at 02:00 against an hour at the morning peak.
    const fresh = (iso: string) => ({ ...initToilet(local(iso), new Rng(1)), nh3Ppm: 0, h2sPpm: 0 });
    const quiet = stepToilet(fresh('2026-06-01T02:00:00'), p, HZ, local('2026-06-01T02:00:00'), HOUR_MS, new Rng(1));
    const busy = stepToilet(fresh('2026-06-01T07:30:00'), p, HZ, local('2026-06-01T07:30:00'), HOUR_MS, new Rng(1));
    expect(readToilet(busy, p).reading.visits!).toBeGreaterThan(readToilet(quiet, p).reading.visits! + 10);
    expect(busy.nh3Ppm).toBeGreaterThan(quiet.nh3Ppm * 2);
    expect(busy.paperPct).toBeLessThan(quiet.paperPct);
    // The 12:00 round: odour falls, paper and soap are refilled.
    const before = stepToilet(busy, p, HZ, local('2026-06-01T08:30:00'), 3 * HOUR_MS, new Rng(2));
    const after = stepToilet(before, p, HZ, local('2026-06-01T11:30:00'), HOUR_MS, new Rng(2));
    expect(after.nh3Ppm).toBeLessThan(before.nh3Ppm);
    expect(after.paperPct).toBeGreaterThan(before.paperPct);
    // Reporting resets the per-reading visit count.
    expect(readToilet(busy, p).state.visitsSinceReport).toBe(0);
  });
});
