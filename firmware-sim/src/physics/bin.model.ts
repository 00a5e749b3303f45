import type { BinTelemetry } from '@sanitation/contracts';
import type { ZoneType } from '../city/city.types.js';
import type { Rng } from '../shared/rng.js';
import { ambientTempC, clamp, HOUR_MS, integrate, localHour, mealProfile, round, ZONE_FILL_RATE_PCT_H, type Env, type FaultFlags } from './physics.types.js';

export interface BinParams {
  zoneType: ZoneType;
  capacityL: number;
  /** Per-bin popularity (0.6–1.4): some corners simply get more rubbish. */
  usage: number;
}

export interface BinState {
  fillPct: number;
  tempC: number;
  batteryPct: number;
  tilted: boolean;
  /** Cumulative times emptied (for tests and stats). */
  emptied: number;
}

const BATTERY_DRAIN_PCT_H = 0.011; // ~1 year on a pack

export function initBin(rng: Rng): BinState {
  return { fillPct: rng.range(5, 45), tempC: 20, batteryPct: rng.range(60, 100), tilted: false, emptied: 0 };
}

/** Advances a bin by dt: fills with the meal-time profile scaled by zone and bin usage. */
export function stepBin(s: BinState, p: BinParams, env: Env, t: number, dtMs: number, rng: Rng, faults: FaultFlags = {}): BinState {
  const rate = ZONE_FILL_RATE_PCT_H[p.zoneType] * p.usage * (p.capacityL > 300 ? 0.6 : 1);
  const extra = ((faults.fastFillPctH ?? 0) * dtMs) / HOUR_MS;
  const added = integrate(t, dtMs, (tt) => rate * mealProfile(localHour(tt, env))) * rng.range(0.8, 1.2) + extra;
  const ambient = ambientTempC(t + dtMs, env);
  return {
    fillPct: clamp(s.fillPct + added, 0, 100),
    tempC: faults.binFire ? rng.range(65, 95) : ambient + 1.5 + rng.normal(0, 0.4),
    batteryPct: clamp(s.batteryPct - (BATTERY_DRAIN_PCT_H * dtMs) / 3_600_000, 0, 100),
    tilted: Boolean(faults.binTilt),
    emptied: s.emptied,
  };
}

/** A truck stopped next to the bin: it is tipped into the truck, leaving a little behind. */
export function emptyBin(s: BinState, rng: Rng): { state: BinState; collectedPct: number } {
  const left = rng.range(0, 5);
  return { state: { ...s, fillPct: Math.min(s.fillPct, left), emptied: s.emptied + 1 }, collectedPct: Math.max(0, s.fillPct - left) };
}

export function readBin(s: BinState, rng: Rng): Omit<BinTelemetry, 'ts' | 'seq'> {
  return {
    fillPct: round(clamp(s.fillPct + rng.normal(0, 0.8), 0, 100)),
    tempC: round(s.tempC),
    tilted: s.tilted,
    batteryPct: round(s.batteryPct),
  };
}
