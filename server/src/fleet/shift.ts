import type { Shift } from '@sanitation/contracts';

const DAY_MIN = 24 * 60;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Minute of the local day (0–1439) at instant `at`, for a fixed UTC offset. */
export function localMinuteOfDay(at: number, utcOffsetMin: number): number {
  const total = Math.floor(at / 60_000) + utcOffsetMin;
  return ((total % DAY_MIN) + DAY_MIN) % DAY_MIN;
}

/**
 * Is `at` inside the shift (HH:MM local, start inclusive, end exclusive)? A shift whose end is
 * before its start runs over midnight (22:00–06:00); start = end means around the clock.
 */
export function inShift(shift: Shift, at: number, utcOffsetMin: number): boolean {
  const start = minutes(shift.start);
  const end = minutes(shift.end);
  if (start === end) return true;
  const now = localMinuteOfDay(at, utcOffsetMin);
  return start < end ? now >= start && now < end : now >= start || now < end;
}
