/**
 * Picks the scenario's actors from the seeded demo city before it starts: a bin to fill up, a bin
 * to catch fire, a lamp to fail, a cabinet to lose its feeder, and two tankers with a tank each
 * (one of them will skip the disposal site).
 */
import type { Simulation } from '@sanitation/firmware-sim';

export interface ScenarioActors {
  fillBin: string;
  fireBin: string;
  lamp: string;
  cabinet: string;
  cabinetLamps: string[];
  goodTanker: string;
  goodTank: string;
  badTanker: string;
  badTank: string;
}

export function pickActors(sim: Simulation): ScenarioActors {
  const { city, world } = sim;
  const level = (id: string) => {
    const rt = world.get(id);
    return rt.kind === 'bin' ? rt.state.fillPct : rt.kind === 'septic' ? rt.state.levelPct : NaN;
  };
  const bins = city.devices.filter((d) => d.kind === 'bin' && level(d.id) < 40);
  const [fillBin, fireBin] = bins;
  const tankers = city.devices.filter((d) => d.kind === 'truck' && d.attributes['vehicleType'] === 'tanker');
  const tankOf = (zones: string[]) => city.devices.find((d) => d.kind === 'septic' && zones.includes(d.zone) && level(d.id) < 60);
  const withTank = tankers.filter((t) => tankOf(t.serviceZones ?? []));
  const [good, bad] = withTank;
  const [outage, other] = city.cabinets;
  if (!fillBin || !fireBin || !good || !bad || !outage || !other) throw new Error('this city lacks the scenario actors; pick another seed');
  return {
    fillBin: fillBin.id,
    fireBin: fireBin.id,
    lamp: other.lampIds[Math.floor(other.lampIds.length / 2)]!,
    cabinet: outage.id,
    cabinetLamps: outage.lampIds,
    goodTanker: good.id,
    goodTank: tankOf(good.serviceZones!)!.id,
    badTanker: bad.id,
    badTank: tankOf(bad.serviceZones!)!.id,
  };
}

/** Local hour (0–24) of a sim time in the city (UTC+8). */
export const localHour = (t: number, utcOffsetH = 8) => (((t / 3_600_000 + utcOffsetH) % 24) + 24) % 24;
