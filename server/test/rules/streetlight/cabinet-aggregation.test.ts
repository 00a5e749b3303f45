import { describe, expect, it } from 'vitest';
import {
  evaluateCabinet,
  evaluateCabinets,
  groupLampsByCabinet,
  type CabinetFaultState,
  type LampFailure,
} from '../../../src/rules/streetlight/cabinet-aggregation.js';
import { classifyLampReading } from '../../../src/rules/streetlight/lamp-fault.rule.js';
import { at, hangzhouSchedule, healthyLit, MINUTE, RATED_W, SEASONS, WINTER } from './hangzhou.fixture.js';

const lampIds = (n: number) => Array.from({ length: n }, (_, i) => `SL-${String(i + 1).padStart(3, '0')}`);
const ids = (faults: readonly LampFailure[]) => faults.map((f) => f.deviceId).sort();
const t2300 = at(WINTER, '23:00');

/** First `n` lamps of a cabinet failing, onsets `stepMs` apart from `from`. */
function failures(n: number, from: number, stepMs: number, code: LampFailure['code'] = 'no-supply'): LampFailure[] {
  return lampIds(n).map((deviceId, i) => ({ deviceId, since: from + i * stepMs, code }));
}

describe('cabinet aggregation, end to end from readings (Hangzhou)', () => {
  describe.each(SEASONS)('$season, 23:00', ({ date }) => {
    const now = at(date, '23:00');
    const expected = hangzhouSchedule().expectedState(now);
    const lamps = lampIds(30);

    /** Classifies each lamp's reading and feeds the failures to the aggregation, as the core will. */
    function run(failingCount: number, evaluateAt: number) {
      const registry = lamps.map((deviceId, i) => {
        const reading = i < failingCount ? { lampOn: false, dimPct: 100, powerW: 0, voltageV: 0, currentA: 0 } : healthyLit();
        const failure = classifyLampReading(expected, reading, { ratedPowerW: RATED_W }).find((c) => c.cause === 'lamp-failure');
        return { deviceId, cabinetId: 'CAB-07', failure: failure ? { since: now + i * 20_000, code: failure.code } : undefined };
      });
      const { cabinets, unassigned } = groupLampsByCabinet(registry);
      expect(unassigned).toEqual([]);
      return evaluateCabinets(new Map(), cabinets, evaluateAt);
    }

    it('30 lamps, 25 failing → one cabinet fault covering the 25 lamp faults', () => {
      const { decisions, next } = run(25, now + 30 * MINUTE);
      expect(decisions).toHaveLength(1);
      const d = decisions[0]!;
      expect(d.transition).toBe('opened');
      expect(d.condition).toEqual({
        cause: 'cabinet-fault',
        code: 'cabinet-outage',
        detail: '25 of 30 lamps of cabinet CAB-07 failed within 8 min (25 no-supply): feeder without supply',
      });
      expect(ids(d.coveredLampFaults)).toEqual(lamps.slice(0, 25));
      expect(d.individualLampFaults).toEqual([]);
      expect(d.pendingLampFaults).toEqual([]);
      expect(next.get('CAB-07')).toMatchObject({ cabinetId: 'CAB-07', coveredDeviceIds: lamps.slice(0, 25) });
    });

    it('30 lamps, 3 failing → three individual lamp faults, no cabinet fault', () => {
      const { decisions, next } = run(3, now + 30 * MINUTE);
      const d = decisions[0]!;
      expect(d.transition).toBe('none');
      expect(d.condition).toBeUndefined();
      expect(ids(d.individualLampFaults)).toEqual(lamps.slice(0, 3));
      expect(d.coveredLampFaults).toEqual([]);
      expect(next.size).toBe(0);
    });
  });
});

describe('evaluateCabinet', () => {
  it('holds fresh lamp faults back, so an outage reported lamp by lamp over 15 min never leaks individual faults', () => {
    // Outage at 23:00; 25 of 30 lamps notice it one by one at their next report (every 15 min).
    const all = failures(25, t2300, 36_000);
    let state: CabinetFaultState | null = null;
    const released: string[] = [];
    for (let m = 1; m <= 20; m++) {
      const now = t2300 + m * MINUTE;
      const d = evaluateCabinet(state, { cabinetId: 'CAB-01', lampCount: 30, failing: all.filter((f) => f.since <= now) }, now);
      released.push(...ids(d.individualLampFaults));
      state = d.next;
    }
    expect(released).toEqual([]);
    expect(state?.coveredDeviceIds).toHaveLength(25);
  });

  it('releases a lone lamp fault after the hold time', () => {
    const lone = failures(1, t2300, 0);
    expect(evaluateCabinet(null, { cabinetId: 'C', lampCount: 30, failing: lone }, t2300 + 5 * MINUTE)).toMatchObject({ pendingLampFaults: lone, individualLampFaults: [] });
    expect(evaluateCabinet(null, { cabinetId: 'C', lampCount: 30, failing: lone }, t2300 + 20 * MINUTE)).toMatchObject({ pendingLampFaults: [], individualLampFaults: lone });
  });

  it('does not aggregate failures that did not happen together', () => {
    // 20 of 30 lamps failing, but one every 30 minutes over ten hours: ageing lamps, not a feeder.
    const spread = failures(20, t2300 - 10 * 60 * MINUTE, 30 * MINUTE, 'off-when-due');
    const d = evaluateCabinet(null, { cabinetId: 'C', lampCount: 30, failing: spread }, t2300);
    expect(d.transition).toBe('none');
    expect(d.individualLampFaults).toHaveLength(20);
  });

  it('keeps a lamp that failed before the outage as an individual fault', () => {
    const burntLastWeek: LampFailure = { deviceId: 'SL-OLD', since: t2300 - 7 * 24 * 60 * MINUTE, code: 'no-power-draw' };
    const d = evaluateCabinet(null, { cabinetId: 'C', lampCount: 30, failing: [burntLastWeek, ...failures(20, t2300, 10_000)] }, t2300 + 10 * MINUTE);
    expect(d.transition).toBe('opened');
    expect(d.coveredLampFaults).toHaveLength(20);
    expect(d.individualLampFaults).toEqual([burntLastWeek]);
  });

  it('counts lamps that saw the outage shortly before the densest cluster (their report came first) as the same outage', () => {
    // 3 lamps report the dead feeder early, then 18 within 13 min starting 15 min later.
    const early = failures(3, t2300, 10_000);
    const cluster = lampIds(21).slice(3).map((deviceId, i) => ({ deviceId, since: t2300 + 15 * MINUTE + i * 45_000, code: 'no-supply' as const }));
    const d = evaluateCabinet(null, { cabinetId: 'C', lampCount: 29, failing: [...early, ...cluster] }, t2300 + 30 * MINUTE);
    expect(d.transition).toBe('opened');
    expect(ids(d.coveredLampFaults)).toEqual(lampIds(21));
    expect(d.individualLampFaults).toEqual([]);
    expect(d.next?.since).toBe(t2300);
  });

  it('absorbs lamps failing later while open, and clears when supply returns, releasing the lamps still failing', () => {
    const outage = failures(20, t2300, 10_000);
    const opened = evaluateCabinet(null, { cabinetId: 'C', lampCount: 30, failing: outage }, t2300 + 5 * MINUTE);
    expect(opened.transition).toBe('opened');

    const late: LampFailure = { deviceId: 'SL-LATE', since: t2300 + 40 * MINUTE, code: 'no-supply' };
    const continuing = evaluateCabinet(opened.next, { cabinetId: 'C', lampCount: 30, failing: [...outage, late] }, t2300 + 41 * MINUTE);
    expect(continuing.transition).toBe('continuing');
    expect(continuing.coveredLampFaults).toHaveLength(21);
    expect(continuing.pendingLampFaults).toEqual([]);

    // Power back: 10 of 30 still failing (33 %) is above the clear share (30 %): stays open.
    const partial = evaluateCabinet(continuing.next, { cabinetId: 'C', lampCount: 30, failing: outage.slice(0, 10) }, t2300 + 60 * MINUTE);
    expect(partial.transition).toBe('continuing');
    // 2 lamps really broken: the cabinet fault clears and they become individual faults.
    const cleared = evaluateCabinet(partial.next, { cabinetId: 'C', lampCount: 30, failing: outage.slice(0, 2) }, t2300 + 70 * MINUTE);
    expect(cleared).toMatchObject({ transition: 'cleared', next: null, coveredLampFaults: [] });
    expect(ids(cleared.individualLampFaults)).toEqual(ids(outage.slice(0, 2)));
  });

  it('names a cabinet whose lamps burn in daylight together as a stuck contactor (separate day-burning run)', () => {
    const noon = at(WINTER, '12:00');
    const d = evaluateCabinet(null, { cabinetId: 'C', lampCount: 30, failing: failures(30, noon, 1000, 'lit-in-daylight') }, noon + MINUTE);
    expect(d.condition).toEqual({
      cause: 'cabinet-fault',
      code: 'cabinet-day-burning',
      detail: '30 of 30 lamps of cabinet C burning in daylight within 0.5 min (30 lit-in-daylight): contactor or timer stuck on',
    });
  });

  it('never aggregates a cabinet with fewer than 5 lamps', () => {
    const d = evaluateCabinet(null, { cabinetId: 'C', lampCount: 4, failing: failures(4, t2300, 0) }, t2300);
    expect(d).toMatchObject({ transition: 'none', next: null });
    expect(d.individualLampFaults).toHaveLength(4);
  });

  it('counts a lamp repeated in the input once, and a stale lamp count cannot exceed 100 %', () => {
    const f = failures(5, t2300, 0);
    const d = evaluateCabinet(null, { cabinetId: 'C', lampCount: 3, failing: [...f, ...f] }, t2300);
    expect(d.transition).toBe('opened');
    expect(d.condition?.detail).toMatch(/^5 of 5 lamps/);
  });
});

describe('evaluateCabinets', () => {
  it('carries open faults between runs and clears a cabinet that no longer appears', () => {
    const first = evaluateCabinets(new Map(), [{ cabinetId: 'A', lampCount: 10, failing: failures(8, t2300, 0) }], t2300);
    expect(first.next.has('A')).toBe(true);
    const second = evaluateCabinets(first.next, [], t2300 + MINUTE);
    expect(second.decisions).toEqual([{ cabinetId: 'A', transition: 'cleared', coveredLampFaults: [], individualLampFaults: [], pendingLampFaults: [], next: null }]);
    expect(second.next.size).toBe(0);
  });

  it('rejects bad options, naming them', () => {
    expect(() => evaluateCabinets(new Map(), [], t2300, { openShare: 1.5 })).toThrow(/openShare/);
    expect(() => evaluateCabinets(new Map(), [], t2300, { clearShare: 0 })).toThrow(/clearShare/);
  });
});

describe('groupLampsByCabinet', () => {
  it('counts every registered lamp per cabinet and returns failures of lamps without a cabinet apart', () => {
    const { cabinets, unassigned } = groupLampsByCabinet([
      { deviceId: 'a', cabinetId: 'X' },
      { deviceId: 'b', cabinetId: 'X', failure: { since: 1 } },
      { deviceId: 'c', cabinetId: 'Y' },
      { deviceId: 'd', failure: { since: 2, code: 'off-when-due' } },
      { deviceId: 'e' },
    ]);
    expect(cabinets).toEqual([
      { cabinetId: 'X', lampCount: 2, failing: [{ deviceId: 'b', since: 1 }] },
      { cabinetId: 'Y', lampCount: 1, failing: [] },
    ]);
    expect(unassigned).toEqual([{ deviceId: 'd', since: 2, code: 'off-when-due' }]);
  });
});
