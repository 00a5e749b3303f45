import type { UiConfig } from '@sanitation/contracts';
import { api } from '../api/http';
import { uiConfig } from './ui-config';

/**
 * The server's clock as the panels see it. The demo may run a simulated clock (clockSpeed ≠ 1,
 * serverNow ≠ wall time), so "overdue" and "last 4 hours" are judged against the server, not the PC.
 */
let anchor: { server: number; local: number; speed: number } | null = null;

export function serverNow(): number {
  if (!anchor) {
    try {
      const cfg = uiConfig();
      anchor = { server: cfg.serverNow, local: Date.now(), speed: cfg.clockSpeed > 0 ? cfg.clockSpeed : 1 };
    } catch {
      return Date.now(); // config not loaded (unit tests): wall time
    }
  }
  return anchor.server + (Date.now() - anchor.local) * anchor.speed;
}

/** Clock speed (1 = real time); 1 before the config is loaded. */
export function clockSpeed(): number {
  return anchor?.speed ?? 1;
}

let syncing: Promise<void> | null = null;

/**
 * Re-anchors on a fresh /ui-config answer: the one loaded at start-up may be minutes old, which
 * at a fast simulated clock would put "now" hours off. Called by the panels on mount and resync.
 */
export function syncServerClock(): Promise<void> {
  syncing ??= (async () => {
    try {
      const sent = Date.now();
      const cfg = await api.get<UiConfig>('/ui-config');
      const received = Date.now();
      if (!Number.isFinite(cfg?.serverNow)) return;
      const speed = cfg.clockSpeed > 0 ? cfg.clockSpeed : 1;
      // The server read its clock about half-way through the round trip.
      anchor = { server: cfg.serverNow + ((received - sent) / 2) * speed, local: received, speed };
    } catch {
      // keep the start-up anchor
    } finally {
      syncing = null;
    }
  })();
  return syncing;
}

export function cityTimeZone(): string {
  try {
    return uiConfig().cityTimeZone;
  } catch {
    return 'Asia/Shanghai';
  }
}

/** Offset (ms) of `timeZone`'s wall clock from UTC at `instant`. */
export function zoneOffsetMs(timeZone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** [start, end) of a calendar day (`YYYY-MM-DD`) in the city's zone, epoch ms; null for a bad date. */
export function cityDayRange(date: string, timeZone: string): { from: number; to: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const midnightUtc = (day: number) => Date.UTC(Number(m[1]), Number(m[2]) - 1, day);
  const localMidnight = (day: number) => {
    // Two passes settle the offset across a DST change on that day.
    let t = midnightUtc(day) - zoneOffsetMs(timeZone, midnightUtc(day));
    t = midnightUtc(day) - zoneOffsetMs(timeZone, t);
    return t;
  };
  const from = localMidnight(Number(m[3]));
  const to = localMidnight(Number(m[3]) + 1);
  return Number.isFinite(from) ? { from, to } : null;
}

/** `YYYY-MM-DD` of `instant` in the city's zone (for date inputs). */
export function cityDateString(instant: number, timeZone: string): string {
  const d = new Date(instant + zoneOffsetMs(timeZone, instant));
  return d.toISOString().slice(0, 10);
}

/** Clock time in the city, e.g. `14:05`, with the date when it is not today there. */
export function formatCityTime(instant: number, now: number, timeZone: string, locale: string): string {
  const sameDay = cityDateString(instant, timeZone) === cityDateString(now, timeZone);
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(sameDay ? {} : { month: '2-digit', day: '2-digit' }),
  }).format(new Date(instant));
}

/** "in 25 min" / "3 h ago" in the UI language. */
export function formatRelative(instant: number, now: number, locale: string): string {
  const diffS = (instant - now) / 1000;
  const abs = Math.abs(diffS);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  if (abs < 60) return rtf.format(Math.round(diffS), 'second');
  if (abs < 3600) return rtf.format(Math.round(diffS / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(diffS / 3600), 'hour');
  return rtf.format(Math.round(diffS / 86_400), 'day');
}
