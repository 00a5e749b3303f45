/**
 * Local wall-clock arithmetic for a city, from either a fixed UTC offset or an IANA time zone.
 * Pure: every function takes the instant (epoch ms) it is asked about.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A fixed offset (China has no DST: +480) or an IANA zone for cities that do shift. */
export type CityTimeZone = { utcOffsetMinutes: number } | { timeZone: string };

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone: a misconfigured city fails at construction, loudly.
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Offsets per zone and quarter hour: Intl.formatToParts costs ~15 µs and a streetlight reading
 * asks several times, which at thousands of readings a second matters. Offset changes (DST,
 * historic zone changes) fall on quarter hours in the time zone database, so a quarter-hour
 * bucket never straddles one.
 */
const OFFSET_BUCKET_MS = 15 * MINUTE_MS;
const OFFSET_CACHE_SIZE = 4096; // buckets per zone (≈ 42 days), then the cache starts over
const offsetCache = new Map<string, Map<number, number>>();

/** Offset of local time to UTC at instant `at`, ms (UTC+8 → +28 800 000). */
export function utcOffsetMs(zone: CityTimeZone, at: number): number {
  if ('utcOffsetMinutes' in zone) return zone.utcOffsetMinutes * MINUTE_MS;
  const bucket = Math.floor(at / OFFSET_BUCKET_MS);
  let cache = offsetCache.get(zone.timeZone);
  if (!cache) offsetCache.set(zone.timeZone, (cache = new Map()));
  const hit = cache.get(bucket);
  if (hit !== undefined) return hit;
  const offset = zoneOffsetMs(zone.timeZone, at);
  if (cache.size >= OFFSET_CACHE_SIZE) cache.clear();
  cache.set(bucket, offset);
  return offset;
}

function zoneOffsetMs(timeZone: string, at: number): number {
  const name = zoneFormatter(timeZone)
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  // "GMT+08:00", "GMT-03:30", or plain "GMT" for UTC itself.
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * HOUR_MS + Number(m[3]) * MINUTE_MS);
}

/** Check a zone once (e.g. at config time) so a typo is reported there, not at the first reading. */
export function assertValidZone(zone: CityTimeZone): void {
  if ('timeZone' in zone) zoneFormatter(zone.timeZone);
  else if (!Number.isFinite(zone.utcOffsetMinutes) || Math.abs(zone.utcOffsetMinutes) > 14 * 60) {
    throw new RangeError(`utcOffsetMinutes: must be within ±840, got ${zone.utcOffsetMinutes}`);
  }
}

/**
 * Local midnight starting the local calendar day that contains `at`. Uses the offset at `at`, so on
 * a DST change day the result is off by the shift for the hour around 00:00 — harmless for lighting.
 */
export function localMidnight(zone: CityTimeZone, at: number): number {
  const off = utcOffsetMs(zone, at);
  return Math.floor((at + off) / DAY_MS) * DAY_MS - off;
}

/** Fractional local hour of day, 0 ≤ h < 24. */
export function localHour(zone: CityTimeZone, at: number): number {
  const off = utcOffsetMs(zone, at);
  const msOfDay = (((at + off) % DAY_MS) + DAY_MS) % DAY_MS;
  return msOfDay / HOUR_MS;
}

/** "HH:MM" local, for human-readable details. */
export function formatLocalTime(zone: CityTimeZone, at: number): string {
  const h = localHour(zone, at);
  const totalMin = Math.floor(h * 60);
  return `${String(Math.floor(totalMin / 60)).padStart(2, '0')}:${String(totalMin % 60).padStart(2, '0')}`;
}
