import { cityDateString, cityDayRange } from '../../app/server-time';

/**
 * The cockpit's period in the city's clock: date inputs hold city dates (YYYY-MM-DD), the API
 * takes instants. A day runs from the city's midnight to the next (DST-safe via Intl).
 */

export interface PeriodDates {
  from: string;
  to: string;
}

export interface PeriodRange {
  from: string;
  to: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The city date (YYYY-MM-DD) at instant `ms`. */
export const cityDate = (ms: number, timeZone: string): string => cityDateString(ms, timeZone);

/** The instant of the city's midnight starting `date` (YYYY-MM-DD). */
export function cityMidnight(date: string, timeZone: string): number {
  const range = cityDayRange(date, timeZone);
  if (!range) throw new RangeError(`not a date: ${date}`);
  return range.from;
}

/** The calendar date after `date`. */
export function nextDate(date: string): string {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1)).toISOString().slice(0, 10);
}

/** Default: this month so far — the 1st of the city's current month to today. */
export function defaultPeriod(nowMs: number, timeZone: string): PeriodDates {
  const today = cityDate(nowMs, timeZone);
  return { from: `${today.slice(0, 8)}01`, to: today };
}

/**
 * The API range for inclusive city dates: [midnight of `from`, midnight after `to`), cut at now so
 * that jobs due later today do not count as late before they are.
 */
export function periodRange(dates: PeriodDates, timeZone: string, nowMs: number): PeriodRange {
  const from = cityMidnight(dates.from, timeZone);
  const end = cityMidnight(nextDate(dates.to), timeZone);
  const to = Math.max(from + 1000, Math.min(end, nowMs));
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** Why the dates cannot be asked for, or null. */
export function periodProblem(dates: PeriodDates): 'invalid' | 'order' | null {
  if (!DATE.test(dates.from) || !DATE.test(dates.to)) return 'invalid';
  if (dates.from > dates.to) return 'order';
  return null;
}

/** Day buckets up to 92 (the server's cap); longer periods use weeks. */
export function trendBucket(dates: PeriodDates): 'day' | 'week' {
  const days = (Date.parse(`${nextDate(dates.to)}T00:00:00Z`) - Date.parse(`${dates.from}T00:00:00Z`)) / 86_400_000;
  return days > 92 ? 'week' : 'day';
}
