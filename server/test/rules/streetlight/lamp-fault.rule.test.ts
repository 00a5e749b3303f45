import { describe, expect, it } from 'vitest';
import { classifyLampReading } from '../../../src/rules/streetlight/lamp-fault.rule.js';
import { at, hangzhouSchedule, healthyDark, healthyLit, MINUTE, RATED_W, SEASONS, WINTER } from './hangzhou.fixture.js';

const lamp = { ratedPowerW: RATED_W };

describe('classifyLampReading (Hangzhou)', () => {
  describe.each(SEASONS)('$season', ({ date }) => {
    const schedule = hangzhouSchedule();
    const expectAt = (hhmm: string) => schedule.expectedState(at(date, hhmm));

    it('lamp lit at 23:00 → ok', () => {
      expect(classifyLampReading(expectAt('23:00'), healthyLit(), lamp)).toEqual([]);
    });

    it('lamp off at 23:00 → lamp failure (off when due)', () => {
      const c = classifyLampReading(expectAt('23:00'), healthyDark(), lamp);
      expect(c).toEqual([{ cause: 'lamp-failure', code: 'off-when-due', detail: expect.stringMatching(/should be lit: night at 23:00/) }]);
    });

    it('lamp on at noon → day-burning', () => {
      const c = classifyLampReading(expectAt('12:00'), healthyLit(), lamp);
      expect(c).toEqual([{ cause: 'day-burning', code: 'lit-in-daylight', detail: expect.stringMatching(/lit drawing 103 W in daylight at 12:00/) }]);
    });

    it('lamp off at noon → ok', () => {
      expect(classifyLampReading(expectAt('12:00'), healthyDark(), lamp)).toEqual([]);
    });

    it('near sunset within grace → no fault whether on or off; outside grace → fault', () => {
      const { switchOnAt } = expectAt('12:00');
      for (const t of [switchOnAt - 10 * MINUTE, switchOnAt + 10 * MINUTE]) {
        expect(classifyLampReading(schedule.expectedState(t), healthyLit(), lamp)).toEqual([]);
        expect(classifyLampReading(schedule.expectedState(t), healthyDark(), lamp)).toEqual([]);
      }
      expect(classifyLampReading(schedule.expectedState(switchOnAt - 30 * MINUTE), healthyLit(), lamp).map((c) => c.cause)).toEqual(['day-burning']);
      expect(classifyLampReading(schedule.expectedState(switchOnAt + 30 * MINUTE), healthyDark(), lamp).map((c) => c.cause)).toEqual(['lamp-failure']);
    });

    it('near sunrise within grace → no fault', () => {
      const { switchOffAt } = expectAt('12:00');
      for (const t of [switchOffAt - 10 * MINUTE, switchOffAt + 10 * MINUTE]) {
        expect(classifyLampReading(schedule.expectedState(t), healthyLit(50), lamp)).toEqual([]);
        expect(classifyLampReading(schedule.expectedState(t), healthyDark(), lamp)).toEqual([]);
      }
    });

    it('on with 0 W at night → lamp failure (no power draw)', () => {
      const c = classifyLampReading(expectAt('23:00'), { ...healthyLit(), powerW: 0, currentA: 0 }, lamp);
      expect(c).toEqual([{ cause: 'lamp-failure', code: 'no-power-draw', detail: expect.stringMatching(/reports on but draws 0 W .*expected ~100 W/) }]);
    });

    it('260 V → power anomaly (voltage high), and nothing else', () => {
      const c = classifyLampReading(expectAt('23:00'), { ...healthyLit(), voltageV: 260 }, lamp);
      expect(c).toEqual([{ cause: 'power-anomaly', code: 'voltage-high', detail: 'supply 260 V outside 198–242 V' }]);
    });

    it('180 V → power anomaly (voltage low); 198 V and 242 V are in band', () => {
      expect(classifyLampReading(expectAt('23:00'), { ...healthyLit(), voltageV: 180 }, lamp).map((c) => c.code)).toEqual(['voltage-low']);
      expect(classifyLampReading(expectAt('23:00'), { ...healthyLit(), voltageV: 198 }, lamp)).toEqual([]);
      expect(classifyLampReading(expectAt('23:00'), { ...healthyLit(), voltageV: 242 }, lamp)).toEqual([]);
    });

    it('dimmed to 50 % after midnight drawing half rated → ok', () => {
      expect(classifyLampReading(expectAt('01:30'), { lampOn: true, dimPct: 50, powerW: RATED_W / 2, voltageV: 219, currentA: 0.24 }, lamp)).toEqual([]);
    });

    it('power far from rated × dim → power anomaly (high and low)', () => {
      const high = classifyLampReading(expectAt('01:30'), { ...healthyLit(50), powerW: 100 }, lamp);
      expect(high).toEqual([{ cause: 'power-anomaly', code: 'power-high', detail: expect.stringMatching(/draws 100 W, expected 50 W/) }]);
      const low = classifyLampReading(expectAt('23:00'), { ...healthyLit(), powerW: 40 }, lamp);
      expect(low.map((c) => c.code)).toEqual(['power-low']);
    });
  });

  it('dead feeder at night (0 V, off) → one lamp failure "no-supply", not also a voltage anomaly', () => {
    const e = hangzhouSchedule().expectedState(at(WINTER, '23:00'));
    const c = classifyLampReading(e, { lampOn: false, dimPct: 100, powerW: 0, voltageV: 0, currentA: 0 }, lamp);
    expect(c).toEqual([{ cause: 'lamp-failure', code: 'no-supply', detail: expect.stringMatching(/no mains at the lamp \(0 V\)/) }]);
  });

  it('feeder switched off in daylight (0 V) is not a fault: cabinets may de-energise by day', () => {
    const e = hangzhouSchedule().expectedState(at(WINTER, '12:00'));
    expect(classifyLampReading(e, { lampOn: false, powerW: 0, voltageV: 0 }, lamp)).toEqual([]);
  });

  it('works from the meter alone when firmware omits lampOn/dimPct/powerW', () => {
    const s = hangzhouSchedule();
    // Power from V × A × PF: ~52 W at 01:30 (dim expected) is fine, 0 A at 23:00 is a dark lamp.
    expect(classifyLampReading(s.expectedState(at(WINTER, '01:30')), { voltageV: 220, currentA: 0.25 }, lamp)).toEqual([]);
    expect(classifyLampReading(s.expectedState(at(WINTER, '23:00')), { voltageV: 220, currentA: 0 }, lamp).map((c) => c.code)).toEqual(['off-when-due']);
    expect(classifyLampReading(s.expectedState(at(WINTER, '12:00')), { powerW: 95 }, lamp).map((c) => c.cause)).toEqual(['day-burning']);
  });

  it('without a rated power only the schedule, no-power and voltage checks run', () => {
    const e = hangzhouSchedule().expectedState(at(WINTER, '23:00'));
    expect(classifyLampReading(e, { ...healthyLit(), powerW: 500 }, {})).toEqual([]);
    expect(classifyLampReading(e, { ...healthyLit(), powerW: 1 }, {}).map((c) => c.code)).toEqual(['no-power-draw']);
  });

  it('lamp on but drawing nothing in daylight → lamp failure, not day-burning (it is not burning)', () => {
    const e = hangzhouSchedule().expectedState(at(WINTER, '12:00'));
    expect(classifyLampReading(e, { lampOn: true, dimPct: 100, powerW: 0, voltageV: 220 }, lamp).map((c) => c.code)).toEqual(['no-power-draw']);
  });

  it('full power after midnight, when the schedule dims → power anomaly (dim mismatch); near the dim change → ok', () => {
    const s = hangzhouSchedule();
    const c = classifyLampReading(s.expectedState(at(WINTER, '01:30')), healthyLit(100), lamp);
    expect(c).toEqual([{ cause: 'power-anomaly', code: 'dim-mismatch', detail: expect.stringMatching(/runs at 100 % but the dimming schedule says 50 %: night, dimmed to 50 % at 01:30/) }]);
    expect(classifyLampReading(s.expectedState(at(WINTER, '00:05')), healthyLit(100), lamp)).toEqual([]);
    expect(classifyLampReading(s.expectedState(at(WINTER, '22:00')), healthyLit(50), lamp).map((x) => x.code)).toEqual(['dim-mismatch']);
  });

  it('without a reported dim level, full power after midnight shows as power too high for the schedule', () => {
    const { dimPct: _omitted, ...noDim } = healthyLit(100);
    const c = classifyLampReading(hangzhouSchedule().expectedState(at(WINTER, '01:30')), noDim, lamp);
    expect(c.map((x) => x.code)).toEqual(['power-high']);
  });

  it('under a manual override only the electrical checks run', () => {
    const s = hangzhouSchedule();
    const override = { ...lamp, manualOverride: true };
    expect(classifyLampReading(s.expectedState(at(WINTER, '12:00')), healthyLit(), override)).toEqual([]);
    expect(classifyLampReading(s.expectedState(at(WINTER, '23:00')), healthyDark(), override)).toEqual([]);
    expect(classifyLampReading(s.expectedState(at(WINTER, '01:30')), healthyLit(100), override)).toEqual([]);
    expect(classifyLampReading(s.expectedState(at(WINTER, '12:00')), { ...healthyLit(), powerW: 0 }, override).map((x) => x.code)).toEqual(['no-power-draw']);
    expect(classifyLampReading(s.expectedState(at(WINTER, '23:00')), { ...healthyLit(), voltageV: 260 }, override).map((x) => x.code)).toEqual(['voltage-high']);
  });

  it('a lamp reporting off while the meter shows full draw at noon is day-burning (welded contactor)', () => {
    const e = hangzhouSchedule().expectedState(at(WINTER, '12:00'));
    expect(classifyLampReading(e, { ...healthyLit(), lampOn: false }, lamp).map((x) => x.code)).toEqual(['lit-in-daylight']);
  });
});
