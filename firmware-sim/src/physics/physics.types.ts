import type { ZoneType } from '../city/city.types.js';

/** Fault flags a model honours while stepping (set by src/faults). */
export interface FaultFlags {
  lampFailure?: boolean;
  dayBurning?: boolean;
  cabinetOutage?: boolean;
  binFire?: boolean;
  binTilt?: boolean;
  gasSpike?: boolean;
  /** Bins and septic tanks: extra fill, percent per sim hour (a market day, a blocked outlet). */
  fastFillPctH?: number;
  /** Tankers: after pumping, drive back to the depot instead of the disposal site (illegal dumping). */
  skipDisposal?: boolean;
  /** Trucks: every trip goes by way of a junction away from the truck's route (the off-route alert). */
  offRoute?: boolean;
  /** Trucks: broken down where they stand (engine off, no trips) until the fault ends. */
  brokenDown?: boolean;
}

/** What every model may know about the place and time. */
export interface Env {
  /** City UTC offset in hours (China: +8), for time-of-day profiles. */
  utcOffsetH: number;
  lat: number;
  lon: number;
}

export const HOUR_MS = 3_600_000;

export function localHour(t: number, env: Env): number {
  const h = (t / HOUR_MS + env.utcOffsetH) % 24;
  return h < 0 ? h + 24 : h;
}

/** Ambient air temperature: daily cycle, coolest ~05:00, warmest ~14:00. */
export function ambientTempC(t: number, env: Env): number {
  const h = localHour(t, env);
  return 18 + 6 * Math.sin(((h - 8) / 24) * 2 * Math.PI);
}

/** Gaussian bump centred at `mu` hours with width `sigma` hours (wrap-around aware). */
export function bump(h: number, mu: number, sigma: number): number {
  const d = Math.min(Math.abs(h - mu), 24 - Math.abs(h - mu));
  return Math.exp(-(d * d) / (2 * sigma * sigma));
}

/** Waste generation by time of day: low at night, peaks at meal times; mean ≈ 1. */
export function mealProfile(h: number): number {
  return 0.15 + 1.4 * bump(h, 7.5, 1) + 1.8 * bump(h, 12.3, 1) + 1.9 * bump(h, 18.5, 1.3) + 0.5 * bump(h, 15, 2.5);
}

/** Integrates `rate(t)` (per hour) over [t0, t0 + dt] in ≤ 15 min slices (midpoint rule). */
export function integrate(t0: number, dtMs: number, rate: (t: number) => number): number {
  const slices = Math.max(1, Math.ceil(dtMs / (15 * 60_000)));
  const slice = dtMs / slices;
  let total = 0;
  for (let i = 0; i < slices; i++) total += rate(t0 + (i + 0.5) * slice) * (slice / HOUR_MS);
  return total;
}

export const ZONE_FILL_RATE_PCT_H: Record<ZoneType, number> = {
  commercial: 8, // a busy street's 240 L bin fills in well under a day
  mixed: 6,
  residential: 5,
  industrial: 3,
  park: 4,
};

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
export const round = (v: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
