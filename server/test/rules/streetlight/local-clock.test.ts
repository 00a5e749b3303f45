import { describe, expect, it } from 'vitest';
import { assertValidZone, formatLocalTime, localHour, localMidnight, utcOffsetMs } from '../../../src/rules/streetlight/local-clock.js';

const MIN = 60_000;

describe('local clock', () => {
  it('reads IANA offsets, including DST and half-hour zones', () => {
    expect(utcOffsetMs({ timeZone: 'Asia/Shanghai' }, Date.parse('2026-07-01T00:00:00Z'))).toBe(480 * MIN);
    expect(utcOffsetMs({ timeZone: 'Europe/Berlin' }, Date.parse('2026-01-15T12:00:00Z'))).toBe(60 * MIN);
    expect(utcOffsetMs({ timeZone: 'Europe/Berlin' }, Date.parse('2026-07-15T12:00:00Z'))).toBe(120 * MIN);
    expect(utcOffsetMs({ timeZone: 'Asia/Kolkata' }, Date.parse('2026-07-15T12:00:00Z'))).toBe(330 * MIN);
    expect(utcOffsetMs({ timeZone: 'America/St_Johns' }, Date.parse('2026-01-15T12:00:00Z'))).toBe(-210 * MIN);
    expect(utcOffsetMs({ timeZone: 'UTC' }, Date.parse('2026-01-15T12:00:00Z'))).toBe(0);
  });

  it('finds the local midnight, hour and HH:MM of an instant', () => {
    const zone = { utcOffsetMinutes: 480 };
    const t = Date.parse('2026-12-21T23:30:00+08:00');
    expect(localMidnight(zone, t)).toBe(Date.parse('2026-12-21T00:00:00+08:00'));
    expect(localHour(zone, t)).toBe(23.5);
    expect(formatLocalTime(zone, t)).toBe('23:30');
    expect(formatLocalTime({ timeZone: 'America/St_Johns' }, Date.parse('2026-01-15T03:00:00Z'))).toBe('23:30');
  });

  it('rejects an unknown zone or an impossible offset', () => {
    expect(() => assertValidZone({ timeZone: 'Nowhere/Atlantis' })).toThrow(RangeError);
    expect(() => assertValidZone({ utcOffsetMinutes: 2000 })).toThrow(/utcOffsetMinutes/);
    expect(() => assertValidZone({ utcOffsetMinutes: 480 })).not.toThrow();
  });
});
