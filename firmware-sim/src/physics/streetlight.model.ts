import type { StreetlightTelemetry } from '@sanitation/contracts';
import type { Rng } from '../shared/rng.js';
import { HOUR_MS, round, type FaultFlags } from './physics.types.js';
import type { SunSchedule } from './sun-schedule.js';

export interface StreetlightParams {
  ratedPowerW: number;
  /** Photocell/controller offset to the astronomical clock, ms (±4 min): lamps do not all switch at once. */
  offsetMs: number;
  /** Failure mode when `lampFailure`: relay stuck open (lamp off) or burnt-out lamp (on, no power). */
  failureMode: 'relay' | 'lamp';
}

/** Part-night dimming: from local midnight until 05:00 lamps run at this level (energy saving). */
export const NIGHT_DIM_PCT = 50;
const DIM_FROM_H = 0;
const DIM_UNTIL_H = 5;
const NOMINAL_V = 220;
const POWER_FACTOR = 0.95;

export type LampOverride = { lampOn: boolean; dimPct: number; until: number };

export interface StreetlightState {
  lampOn: boolean;
  dimPct: number;
  powerW: number;
  voltageV: number;
  currentA: number;
  energyWh: number;
  /** An operator command holds until the next scheduled switching point. */
  override: LampOverride | null;
}

export function initStreetlight(): StreetlightState {
  return { lampOn: false, dimPct: 100, powerW: 0, voltageV: NOMINAL_V, currentA: 0, energyWh: 0, override: null };
}

/** The schedule: on at sunset, off at sunrise (plus the lamp's offset), dimmed after midnight. */
export function scheduledLamp(t: number, p: StreetlightParams, sun: SunSchedule): { lampOn: boolean; dimPct: number } {
  const today = sun.day(t);
  const lit = t < today.sunrise + p.offsetMs || t >= today.sunset + p.offsetMs;
  if (!lit) return { lampOn: false, dimPct: 100 };
  const h = (t - today.midnight) / HOUR_MS;
  return { lampOn: true, dimPct: h >= DIM_FROM_H && h < DIM_UNTIL_H ? NIGHT_DIM_PCT : 100 };
}

/** Next scheduled switching point strictly after `t` (sunrise, 05:00 un-dim, sunset, midnight dim). */
export function nextSwitchAt(t: number, p: StreetlightParams, sun: SunSchedule): number {
  const points: number[] = [];
  for (const dayStart of [t, t + 24 * HOUR_MS]) {
    const d = sun.day(dayStart);
    points.push(d.midnight + DIM_FROM_H * HOUR_MS, d.midnight + DIM_UNTIL_H * HOUR_MS, d.sunrise + p.offsetMs, d.sunset + p.offsetMs);
  }
  return Math.min(...points.filter((x) => x > t));
}

/**
 * Advances the lamp to time `t`. Energy accrues at the power drawn over the elapsed interval; the
 * scheduler steps a lamp at every switching point, so power is constant in between.
 */
export function stepStreetlight(s: StreetlightState, p: StreetlightParams, sun: SunSchedule, t: number, dtMs: number, rng: Rng, faults: FaultFlags = {}): StreetlightState {
  const energyWh = s.energyWh + (s.powerW * dtMs) / HOUR_MS;
  const override = s.override && t < s.override.until ? s.override : null;
  let { lampOn, dimPct } = override ?? scheduledLamp(t, p, sun);
  let voltageV = NOMINAL_V + rng.normal(0, 2.5);
  let drawing = lampOn;
  if (faults.dayBurning && !lampOn) {
    lampOn = true;
    dimPct = 100;
    drawing = true;
  }
  if (faults.lampFailure && lampOn) {
    if (p.failureMode === 'relay') lampOn = false;
    drawing = false;
  }
  if (faults.cabinetOutage) {
    // The controller runs on its backup cell and reports the dead feeder.
    voltageV = 0;
    lampOn = false;
    drawing = false;
  }
  const powerW = drawing ? p.ratedPowerW * (dimPct / 100) * (1 + rng.normal(0, 0.015)) + 3 : 0;
  const currentA = drawing && voltageV > 0 ? powerW / (voltageV * POWER_FACTOR) : 0;
  return { lampOn, dimPct, powerW: Math.max(0, powerW), voltageV: Math.max(0, voltageV), currentA, energyWh, override };
}

/** An operator's on/off/dim command; holds until the next scheduled switch. */
export function commandLamp(s: StreetlightState, cmd: { lampOn?: boolean; dimPct?: number }, t: number, p: StreetlightParams, sun: SunSchedule): StreetlightState {
  const base = s.override && t < s.override.until ? s.override : scheduledLamp(t, p, sun);
  const lampOn = cmd.lampOn ?? (cmd.dimPct !== undefined ? cmd.dimPct > 0 : base.lampOn);
  const dimPct = cmd.dimPct ?? base.dimPct;
  return { ...s, override: { lampOn, dimPct, until: nextSwitchAt(t, p, sun) } };
}

export function readStreetlight(s: StreetlightState): Omit<StreetlightTelemetry, 'ts' | 'seq'> {
  return {
    lampOn: s.lampOn,
    dimPct: round(s.dimPct),
    powerW: round(s.powerW),
    voltageV: round(s.voltageV),
    currentA: round(s.currentA, 3),
    energyWh: round(s.energyWh, 1),
  };
}
