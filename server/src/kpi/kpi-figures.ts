import type { KpiRatio, KpiTruck } from '@sanitation/contracts';
import { LightingSchedule } from '../rules/streetlight/lighting-schedule.js';
import { haversineM } from '../common/geo.js';

/** Pure computations over InfluxDB rows: lighting rate and truck distance/utilisation. */

export function ratio(numerator: number, denominator: number): KpiRatio {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

export interface LampReading {
  ts: number;
  deviceId: string;
  lampOn: unknown;
  powerW: unknown;
}

export interface LampPlace {
  lat: number;
  lon: number;
}

/**
 * 亮灯率 per bucket: of the readings taken while the lamp should be lit (schedule says lit and not
 * within the grace margin of a switching time, where either state is fine), those with lampOn
 * and powerW > 0. Readings of lamps not registered (no position) are left out. Schedules are shared
 * per ~1 km cell: sunrise/sunset differ by seconds over that distance.
 */
export function lightingRates(
  readings: readonly LampReading[],
  places: ReadonlyMap<string, LampPlace>,
  timeZone: string,
  bucketStarts: readonly number[],
): KpiRatio[] {
  const schedules = new Map<string, LightingSchedule>();
  const lit = bucketStarts.map(() => 0);
  const should = bucketStarts.map(() => 0);
  for (const r of readings) {
    const place = places.get(r.deviceId);
    if (!place) continue;
    const cell = `${place.lat.toFixed(2)},${place.lon.toFixed(2)}`;
    let schedule = schedules.get(cell);
    if (!schedule) {
      schedule = new LightingSchedule({ lat: Number(place.lat.toFixed(2)), lon: Number(place.lon.toFixed(2)), timeZone });
      schedules.set(cell, schedule);
    }
    const expected = schedule.expectedState(r.ts);
    if (!expected.shouldBeLit || expected.inGrace) continue;
    const b = bucketOf(bucketStarts, r.ts);
    if (b < 0) continue;
    should[b]!++;
    if (r.lampOn === true && typeof r.powerW === 'number' && r.powerW > 0) lit[b]!++;
  }
  return bucketStarts.map((_, i) => ratio(lit[i]!, should[i]!));
}

/** Index of the last bucket starting at or before ts. */
export function bucketOf(starts: readonly number[], ts: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= ts) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export interface TruckFix {
  ts: number;
  deviceId: string;
  lat: unknown;
  lon: unknown;
  speedKmh: unknown;
  ignition: unknown;
}

export interface TruckUnit {
  vehicleId: string;
  deviceId: string;
  name: string;
}

/**
 * Per vehicle: distance = haversine sum over consecutive fixes (time order) that carry a position;
 * utilisation = fixes with ignition on and speed > 0 / all fixes (fix-weighted, not time-weighted:
 * trucks report at a steady interval while powered, so the two agree closely).
 */
export function truckFigures(fixes: readonly TruckFix[], units: readonly TruckUnit[]): KpiTruck[] {
  const byDevice = new Map<string, TruckFix[]>();
  for (const f of fixes) {
    const list = byDevice.get(f.deviceId) ?? [];
    list.push(f);
    byDevice.set(f.deviceId, list);
  }
  return units.map((u) => {
    const list = (byDevice.get(u.deviceId) ?? []).sort((a, b) => a.ts - b.ts);
    let km = 0;
    let moving = 0;
    let prev: { lat: number; lon: number } | null = null;
    for (const f of list) {
      if (f.ignition === true && typeof f.speedKmh === 'number' && f.speedKmh > 0) moving++;
      if (typeof f.lat !== 'number' || typeof f.lon !== 'number') continue;
      const here = { lat: f.lat, lon: f.lon };
      if (prev) km += haversineM(prev, here) / 1000;
      prev = here;
    }
    return {
      vehicleId: u.vehicleId,
      deviceId: u.deviceId,
      name: u.name,
      distanceKm: Math.round(km * 1000) / 1000,
      fixes: list.length,
      movingFixes: moving,
      utilisation: list.length ? moving / list.length : null,
    };
  });
}
