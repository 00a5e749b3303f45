import SunCalc from 'suncalc';
import { describe, expect, it } from 'vitest';
import { CyclingDetector, evaluateStreetlightReading, type LampCondition } from '../../../src/rules/streetlight/index.js';
import { at, hangzhouSchedule, HANGZHOU, healthyDark, healthyLit, MINUTE, RATED_W, SEASONS, WINTER } from './hangzhou.fixture.js';

const lamp = { ratedPowerW: RATED_W };

/**
 * The simulator's lamp, restated (server must not import firmware-sim): on at sunset + offset, off at
 * sunrise + offset of the local day (suncalc at local noon), 50 % from 00:00 to 05:00 local.
 */
function simulatorLamp(t: number, offsetMs: number) {
  const off = HANGZHOU.utcOffsetMinutes * MINUTE;
  const midnight = Math.floor((t + off) / 86_400_000) * 86_400_000 - off;
  const sun = SunCalc.getTimes(new Date(midnight + 12 * 60 * MINUTE), HANGZHOU.lat, HANGZHOU.lon);
  const lit = t < sun.sunrise.getTime() + offsetMs || t >= sun.sunset.getTime() + offsetMs;
  const h = (t - midnight) / (60 * MINUTE);
  return lit ? healthyLit(h < 5 ? 50 : 100) : healthyDark();
}

describe('evaluateStreetlightReading', () => {
  it.each(SEASONS)('$season: a healthy simulated lamp (offsets ±4 min) raises nothing over a whole day, minute by minute', ({ date }) => {
    const schedule = hangzhouSchedule();
    const raised: string[] = [];
    for (const offsetMin of [-4, 0, 4]) {
      const cycling = new CyclingDetector();
      for (let t = at(date, '00:00'); t < at(date, '00:00') + 24 * 60 * MINUTE; t += MINUTE) {
        const { conditions } = evaluateStreetlightReading({ deviceId: `SL-${offsetMin}`, reading: { ts: t, ...simulatorLamp(t, offsetMin * MINUTE) }, lamp }, schedule, cycling);
        raised.push(...conditions.map((c) => `${offsetMin} ${new Date(t).toISOString()} ${c.detail}`));
      }
    }
    expect(raised).toEqual([]);
  });

  it('judges by the reading\'s ts, and adds cycling to the lamp conditions', () => {
    const schedule = hangzhouSchedule();
    const cycling = new CyclingDetector();
    const t0 = at(WINTER, '23:00');
    let last: LampCondition[] = [];
    for (let i = 0; i <= 6; i++) {
      const reading = { ts: t0 + i * MINUTE, ...(i % 2 === 0 ? healthyLit() : healthyDark()) };
      last = evaluateStreetlightReading({ deviceId: 'SL-9', reading, lamp }, schedule, cycling).conditions;
    }
    // The 6th transition lands on a lit reading: only cycling. One step earlier (dark) would add lamp-failure.
    expect(last.map((c) => c.cause)).toEqual(['cycling']);
    const dark = evaluateStreetlightReading({ deviceId: 'SL-9', reading: { ts: t0 + 7 * MINUTE, ...healthyDark() }, lamp }, schedule, cycling);
    expect(dark.expected.reason).toBe('night');
    expect(dark.conditions.map((c) => c.cause)).toEqual(['lamp-failure', 'cycling']);
  });
});
