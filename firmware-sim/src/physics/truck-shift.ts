import { localHour, type Env } from './physics.types.js';

/** The trucks' working day in local hours; each truck's is offset by up to ±30 min (`offsetH`). */
export const SHIFT_HOURS = { start: 5.5, end: 20.5 } as const;

/** Is local time `t` inside the shift of a truck with this offset? */
export function inShift(t: number, env: Env, offsetH: number): boolean {
  const h = localHour(t, env);
  return h >= SHIFT_HOURS.start + offsetH && h < SHIFT_HOURS.end + offsetH;
}

/** Hours from `t` until the truck's next shift start (0 ≤ h < 24). */
export function hoursToShiftStart(t: number, env: Env, offsetH: number): number {
  return (((SHIFT_HOURS.start + offsetH - localHour(t, env)) % 24) + 24) % 24;
}

/** The shift as local HH:MM, as the server registers it. */
export function shiftHhmm(offsetH: number): { start: string; end: string } {
  const hhmm = (h: number) => {
    const m = Math.round((((h % 24) + 24) % 24) * 60) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  return { start: hhmm(SHIFT_HOURS.start + offsetH), end: hhmm(SHIFT_HOURS.end + offsetH) };
}
