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

function parts(ms: number, timeZone: string): Record<string, number> {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** The zone's offset from UTC at instant `ms`, in ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The city date (YYYY-MM-DD) at instant `ms`. */
export function cityDate(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant of the city's midnight starting `date` (YYYY-MM-DD). */
export function cityMidnight(date: string, timeZone: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Two passes: the offset at the first guess may differ from the one at midnight across a DST change.
  let t = wall - zoneOffsetMs(wall, timeZone);
  t = wall - zoneOffsetMs(t, timeZone);
  return t;
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
