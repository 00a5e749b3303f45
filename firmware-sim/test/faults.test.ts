import { describe, expect, it } from 'vitest';
import { generateCity } from '../src/city/city.generator.js';
import { FaultInjector } from '../src/faults/fault.injector.js';
import { parseFaultList } from '../src/faults/fault.types.js';
import { World } from '../src/physics/world.js';

const t0 = Date.parse('2026-06-01T21:00:00+08:00'); // dark: lamps should be on

function setup() {
  const city = generateCity({ seed: 8, devices: 400 });
  const world = new World(city, 8, t0);
  return { city, world, faults: new FaultInjector(city, world, 8) };
}

describe('fault injection', () => {
  it('parses the --faults list and names a bad entry', () => {
    expect(parseFaultList('lamp-failure:5,bin-fire:1,sensor-offline:3@2h,garbage')).toEqual([
      { type: 'lamp-failure', count: 5 },
      { type: 'bin-fire', count: 1 },
      { type: 'sensor-offline', count: 3, durationMs: 7_200_000 },
      { type: 'garbage', count: 1 },
    ]);
    expect(() => parseFaultList('lamp-failure:5,meteor:1')).toThrow(/"meteor:1" is not a fault/);
  });

  it('a cabinet outage darkens every lamp of that cabinet and no other', () => {
    const { city, world, faults } = setup();
    const cab = city.cabinets[0]!;
    faults.inject({ type: 'cabinet-outage', targets: [cab.id] }, t0);
    const t = t0 + 15 * 60_000;
    for (const d of city.devices.filter((x) => x.kind === 'streetlight')) {
      const v = world.measure(d.id, t);
      if (cab.lampIds.includes(d.id)) expect(v, d.id).toMatchObject({ lampOn: false, powerW: 0, voltageV: 0 });
      else expect(v.lampOn, d.id).toBe(true);
    }
  });

  it('bin fire and tilt show in the readings, and end when cleared', () => {
    const { city, world, faults } = setup();
    const bin = city.devices.find((d) => d.kind === 'bin')!;
    const fire = faults.inject({ type: 'bin-fire', targets: [bin.id] }, t0);
    faults.inject({ type: 'bin-tilt', targets: [bin.id] }, t0);
    const hot = world.measure(bin.id, t0 + 60_000);
    expect(hot.tempC as number).toBeGreaterThan(60);
    expect(hot.tilted).toBe(true);
    faults.clear(fire.id, t0 + 120_000);
    expect(world.measure(bin.id, t0 + 180_000).tempC as number).toBeLessThan(40);
  });

  it('gas spikes hit toilets and septic tanks; faults expire after their duration', () => {
    const { city, world, faults } = setup();
    const septic = city.devices.find((d) => d.kind === 'septic')!;
    faults.inject({ type: 'gas-spike', targets: [septic.id], durationMs: 3_600_000 }, t0);
    expect(world.measure(septic.id, t0 + 60_000).h2sPpm as number).toBeGreaterThan(15);
    faults.expire(t0 + 2 * 3_600_000);
    expect(faults.list()).toHaveLength(0);
    expect(world.measure(septic.id, t0 + 2 * 3_600_000 + 60_000).h2sPpm as number).toBeLessThan(15);
    expect(() => faults.inject({ type: 'bin-fire', targets: [septic.id] }, t0)).toThrow(/cannot hit/);
  });

  it('sensor-offline marks devices silent for its duration (default 2 h)', () => {
    const { faults } = setup();
    const f = faults.inject({ type: 'sensor-offline', count: 3 }, t0);
    expect(f.deviceIds).toHaveLength(3);
    expect(faults.has(f.deviceIds[0]!, 'sensor-offline', t0 + 3_600_000)).toBe(true);
    expect(faults.has(f.deviceIds[0]!, 'sensor-offline', t0 + 3 * 3_600_000)).toBe(false);
  });
});
