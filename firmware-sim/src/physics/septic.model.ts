import type { SepticTelemetry } from '@sanitation/contracts';
import type { Rng } from '../shared/rng.js';
import { clamp, HOUR_MS, integrate, localHour, mealProfile, round, type Env, type FaultFlags } from './physics.types.js';

export interface SepticParams {
  tankM3: number;
  /** Days from empty to full at average inflow (20–60). */
  daysToFill: number;
  /** A tanker of the fleet serves this tank; otherwise an outside contractor pumps it out near full. */
  served?: boolean;
}

export interface SepticState {
  levelPct: number;
  h2sPpm: number;
  ch4PctLel: number;
  pumpedOut: number;
}

export function initSeptic(rng: Rng): SepticState {
  return { levelPct: rng.range(5, 70), h2sPpm: 1, ch4PctLel: 2, pumpedOut: 0 };
}

/** Level rises slowly with household use (days to fill); gases grow with level; a vacuum truck pumps it out near full. */
export function stepSeptic(s: SepticState, p: SepticParams, env: Env, t: number, dtMs: number, rng: Rng, faults: FaultFlags = {}): SepticState {
  const ratePctH = 100 / (p.daysToFill * 24);
  const extra = ((faults.fastFillPctH ?? 0) * dtMs) / HOUR_MS;
  let level = s.levelPct + integrate(t, dtMs, (tt) => ratePctH * mealProfile(localHour(tt, env))) * rng.range(0.9, 1.1) + extra;
  let pumpedOut = s.pumpedOut;
  if (!p.served && level >= 95 && rng.chance(Math.min(1, dtMs / (6 * HOUR_MS)))) {
    level = rng.range(2, 8);
    pumpedOut++;
  }
  level = clamp(level, 0, 100);
  let h2s = 0.5 + level * 0.08 + Math.abs(rng.normal(0, 0.3));
  let ch4 = 1 + level * 0.12 + Math.abs(rng.normal(0, 0.5));
  if (faults.gasSpike) {
    h2s = rng.range(20, 50);
    ch4 = rng.range(25, 60);
  }
  return { levelPct: level, h2sPpm: h2s, ch4PctLel: clamp(ch4, 0, 100), pumpedOut };
}

/** A tanker pumped the tank out: a little sludge stays behind. Returns the cubic metres taken. */
export function pumpSeptic(s: SepticState, p: SepticParams, rng: Rng): { state: SepticState; pumpedM3: number } {
  const left = rng.range(0, 3);
  const pumpedM3 = (Math.max(0, s.levelPct - left) / 100) * p.tankM3;
  return { state: { ...s, levelPct: Math.min(s.levelPct, left), pumpedOut: s.pumpedOut + 1 }, pumpedM3 };
}

export function readSeptic(s: SepticState): Omit<SepticTelemetry, 'ts' | 'seq'> {
  return { levelPct: round(s.levelPct), h2sPpm: round(s.h2sPpm, 2), ch4PctLel: round(s.ch4PctLel) };
}
