import { LightingSchedule } from '../../../src/rules/streetlight/lighting-schedule.js';

/** Hangzhou: 30.27 N 120.15 E, China Standard Time (UTC+8, no DST). */
export const HANGZHOU = { lat: 30.27, lon: 120.15, utcOffsetMinutes: 480 } as const;
export const WINTER = '2026-12-21';
export const SUMMER = '2026-06-21';
export const SEASONS = [
  { season: 'winter', date: WINTER },
  { season: 'summer', date: SUMMER },
] as const;

export const MINUTE = 60_000;

/** Epoch ms of a Hangzhou local wall-clock time, e.g. at('2026-12-21', '23:00'). */
export function at(date: string, hhmm: string): number {
  return Date.parse(`${date}T${hhmm}:00+08:00`);
}

export function hangzhouSchedule(): LightingSchedule {
  return new LightingSchedule(HANGZHOU);
}

/** A healthy 100 W lamp as the simulator reports it: rated × dim + 3 W driver overhead. */
export const RATED_W = 100;
export function healthyLit(dimPct = 100) {
  const powerW = (RATED_W * dimPct) / 100 + 3;
  return { lampOn: true, dimPct, powerW, voltageV: 221.3, currentA: powerW / (221.3 * 0.95) };
}
export function healthyDark() {
  return { lampOn: false, dimPct: 100, powerW: 0, voltageV: 220.4, currentA: 0 };
}
