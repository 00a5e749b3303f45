import { describe, expect, it } from 'vitest';
import { LightingSchedule } from '../../../src/rules/streetlight/lighting-schedule.js';
import { at, HANGZHOU, hangzhouSchedule, MINUTE, SEASONS, SUMMER, WINTER } from './hangzhou.fixture.js';

describe('LightingSchedule (Hangzhou)', () => {
  it.each(SEASONS)('$season: lit at 23:00, dark at noon, dimmed to 50 % at 01:00', ({ date }) => {
    const s = hangzhouSchedule();
    expect(s.expectedState(at(date, '23:00'))).toMatchObject({ shouldBeLit: true, inGrace: false, expectedDimPct: 100, reason: 'night' });
    expect(s.expectedState(at(date, '12:00'))).toMatchObject({ shouldBeLit: false, inGrace: false, reason: 'day' });
    expect(s.expectedState(at(date, '01:00'))).toMatchObject({ shouldBeLit: true, expectedDimPct: 50, acceptableDimPcts: [50], reason: 'night-dimmed' });
  });

  it('switches at suncalc sunset/sunrise: ~17:0x/06:5x in winter, ~19:0x/04:5x in summer', () => {
    const s = hangzhouSchedule();
    const winter = s.expectedState(at(WINTER, '12:00'));
    expect(winter.switchOnAt).toBeGreaterThan(at(WINTER, '16:55'));
    expect(winter.switchOnAt).toBeLessThan(at(WINTER, '17:15'));
    expect(winter.switchOffAt).toBeGreaterThan(at(WINTER, '06:40'));
    expect(winter.switchOffAt).toBeLessThan(at(WINTER, '07:00'));
    const summer = s.expectedState(at(SUMMER, '12:00'));
    expect(summer.switchOnAt).toBeGreaterThan(at(SUMMER, '18:55'));
    expect(summer.switchOnAt).toBeLessThan(at(SUMMER, '19:15'));
    expect(summer.switchOffAt).toBeGreaterThan(at(SUMMER, '04:50'));
    expect(summer.switchOffAt).toBeLessThan(at(SUMMER, '05:10'));
    // Summer evening at 18:30: still daylight in June, dark in December.
    expect(s.expectedState(at(SUMMER, '18:30')).shouldBeLit).toBe(false);
    expect(s.expectedState(at(WINTER, '18:30')).shouldBeLit).toBe(true);
  });

  it('is in grace within the margin of sunset and sunrise, not outside it', () => {
    const s = hangzhouSchedule();
    const { switchOnAt, switchOffAt } = s.expectedState(at(WINTER, '12:00'));
    expect(s.expectedState(switchOnAt - 10 * MINUTE)).toMatchObject({ shouldBeLit: false, inGrace: true, reason: 'dusk-grace' });
    expect(s.expectedState(switchOnAt + 10 * MINUTE)).toMatchObject({ shouldBeLit: true, inGrace: true, reason: 'dusk-grace' });
    expect(s.expectedState(switchOffAt + 14 * MINUTE)).toMatchObject({ shouldBeLit: false, inGrace: true, reason: 'dawn-grace' });
    expect(s.expectedState(switchOnAt - 20 * MINUTE)).toMatchObject({ shouldBeLit: false, inGrace: false });
    expect(s.expectedState(switchOffAt - 20 * MINUTE)).toMatchObject({ shouldBeLit: true, inGrace: false });
  });

  it('accepts both levels close to a dim change (midnight), only one away from it', () => {
    const s = hangzhouSchedule();
    expect(s.expectedState(at(WINTER, '23:55')).acceptableDimPcts).toEqual([100, 50]);
    expect(s.expectedState(at(WINTER, '00:05')).acceptableDimPcts).toEqual([50, 100]);
    expect(s.expectedState(at(WINTER, '04:58')).acceptableDimPcts).toEqual([50, 100]);
    expect(s.expectedState(at(WINTER, '05:30'))).toMatchObject({ expectedDimPct: 100, acceptableDimPcts: [100] });
  });

  it('applies offsets to sunset and sunrise and a dim window spanning midnight', () => {
    const plain = hangzhouSchedule().expectedState(at(WINTER, '12:00'));
    const s = new LightingSchedule({ ...HANGZHOU, switchOnAfterSunsetMs: 10 * MINUTE, switchOffBeforeSunriseMs: 20 * MINUTE, dimFromLocalHour: 22, dimUntilLocalHour: 6, dimPct: 30 });
    const e = s.expectedState(at(WINTER, '12:00'));
    expect(e.switchOnAt - plain.switchOnAt).toBe(10 * MINUTE);
    expect(plain.switchOffAt - e.switchOffAt).toBe(20 * MINUTE);
    expect(s.expectedState(at(WINTER, '22:30')).expectedDimPct).toBe(30);
    expect(s.expectedState(at(WINTER, '21:00')).expectedDimPct).toBe(100);
  });

  it('gives the same answer for an IANA zone as for the fixed offset, and names local times in the detail', () => {
    const fixed = hangzhouSchedule();
    const zoned = new LightingSchedule({ lat: HANGZHOU.lat, lon: HANGZHOU.lon, timeZone: 'Asia/Shanghai' });
    for (const hhmm of ['00:30', '06:00', '12:00', '17:10', '23:00']) {
      expect(zoned.expectedState(at(WINTER, hhmm))).toEqual(fixed.expectedState(at(WINTER, hhmm)));
    }
    expect(fixed.expectedState(at(WINTER, '23:00')).detail).toMatch(/^night at 23:00 \(on 17:\d\d, off 06:\d\d local\)$/);
  });

  it('handles polar night and polar day without sunrise/sunset', () => {
    const tromso = { lat: 69.65, lon: 18.96, utcOffsetMinutes: 60 };
    const s = new LightingSchedule(tromso);
    expect(s.expectedState(Date.parse('2026-12-21T12:00:00+01:00'))).toMatchObject({ shouldBeLit: true, reason: 'polar-night' });
    expect(s.expectedState(Date.parse('2026-06-21T00:30:00+01:00'))).toMatchObject({ shouldBeLit: false, reason: 'polar-day' });
  });

  it('rejects a bad position, zone or option, naming it', () => {
    expect(() => new LightingSchedule({ lat: 95, lon: 0, utcOffsetMinutes: 0 })).toThrow(/lat/);
    expect(() => new LightingSchedule({ lat: 0, lon: 0, timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => new LightingSchedule({ ...HANGZHOU, dimPct: 150 })).toThrow(/dimPct/);
    expect(() => new LightingSchedule({ ...HANGZHOU, graceMs: Number.NaN })).toThrow(/graceMs/);
    expect(() => new LightingSchedule({ ...HANGZHOU, dimUntilLocalHour: 25 })).toThrow(/dimUntilLocalHour/);
  });
});
