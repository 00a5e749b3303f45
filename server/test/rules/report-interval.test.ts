import { describe, expect, it } from 'vitest';
import { ReportIntervalLearner } from '../../src/rules/offline/report-interval.js';
import { seededRandom } from './seeded-random.js';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 27, 0, 0, 0);

describe('ReportIntervalLearner', () => {
  it('learns a 15 min interval from live readings with network jitter', () => {
    const rnd = seededRandom(1);
    const learner = new ReportIntervalLearner();
    for (let i = 0; i < 40; i++) {
      const ts = T0 + i * 15 * MIN + Math.round((rnd() - 0.5) * 20 * SEC); // firmware wakes ±10 s
      learner.observe('bin-1', ts, ts + Math.round(rnd() * 3 * SEC)); // arrives 0–3 s later
    }
    const interval = learner.intervalMs('bin-1')!;
    expect(interval).toBeGreaterThan(14.5 * MIN);
    expect(interval).toBeLessThan(15.5 * MIN);
  });

  it('knows nothing before it has enough gaps', () => {
    const learner = new ReportIntervalLearner();
    learner.observe('x', T0, T0);
    learner.observe('x', T0 + MIN, T0 + MIN);
    expect(learner.intervalMs('x')).toBeNull();
    expect(learner.intervalMs('never-seen')).toBeNull();
  });

  it('a store-and-forward batch (many old readings at once) does not distort the interval', () => {
    const learner = new ReportIntervalLearner();
    let t = T0;
    for (let i = 0; i < 10; i++, t += 15 * MIN) learner.observe('bin-2', t, t);
    // 6 h outage: the device keeps measuring every 15 min, then flushes 24 readings in one go.
    const flushAt = t + 6 * HOUR;
    for (let i = 0; i < 24; i++, t += 15 * MIN) learner.observe('bin-2', t, flushAt + i); // 1 ms apart
    expect(learner.intervalMs('bin-2')).toBe(15 * MIN);
    const stats = learner.stats('bin-2')!;
    expect(stats.lastArrivedAt).toBe(flushAt + 23);
    expect(stats.lastTs).toBe(t - 15 * MIN);

    // Had arrival gaps been learned per reading, 23 gaps of 1 ms would now dominate the median;
    // a naive ts-only learner would be fine here, so also check a device that loses its backlog:
    const lossy = new ReportIntervalLearner();
    let u = T0;
    for (let i = 0; i < 10; i++, u += 15 * MIN) lossy.observe('bin-3', u, u);
    u += 6 * HOUR; // nothing stored during the outage: one 6 h gap
    for (let i = 0; i < 4; i++, u += 15 * MIN) lossy.observe('bin-3', u, u);
    expect(lossy.intervalMs('bin-3')).toBe(15 * MIN);
  });

  it('a device that batches on purpose (measures every 15 min, sends hourly) gets its sending interval', () => {
    const learner = new ReportIntervalLearner();
    for (let hour = 1; hour <= 10; hour++) {
      const sentAt = T0 + hour * HOUR;
      for (let q = 3; q >= 0; q--) learner.observe('septic-1', sentAt - q * 15 * MIN, sentAt + (3 - q));
    }
    const stats = learner.stats('septic-1')!;
    expect(stats.measurementIntervalMs).toBe(15 * MIN);
    expect(stats.arrivalIntervalMs).toBe(HOUR);
    expect(stats.intervalMs).toBe(HOUR);
  });

  it('re-delivered readings (same ts) teach nothing', () => {
    const learner = new ReportIntervalLearner();
    for (let i = 0; i < 10; i++) {
      const ts = T0 + i * 30 * SEC;
      learner.observe('truck-1', ts, ts);
      learner.observe('truck-1', ts, ts + 5 * SEC); // at-least-once hand-off repeats it
    }
    expect(learner.stats('truck-1')!.measurementIntervalMs).toBe(30 * SEC);
  });

  it('ignores non-finite times and names bad options', () => {
    const learner = new ReportIntervalLearner();
    for (let i = 0; i < 5; i++) {
      learner.observe('bin-9', T0 + i * MIN, T0 + i * MIN);
      learner.observe('bin-9', Number.NaN, T0 + i * MIN);
      learner.observe('bin-9', T0 + i * MIN + 1, Number.POSITIVE_INFINITY);
    }
    expect(learner.intervalMs('bin-9')).toBe(MIN);
    expect(() => new ReportIntervalLearner({ historySize: 0 })).toThrow(/historySize/);
    expect(() => new ReportIntervalLearner({ minSamples: 20 })).toThrow(/minSamples/);
    expect(() => new ReportIntervalLearner({ compressedArrivalRatio: 2 })).toThrow(/compressedArrivalRatio/);
  });

  it('keeps bounded memory and forgets old behaviour: a device switched to a slower schedule re-learns', () => {
    const learner = new ReportIntervalLearner({ historySize: 8 });
    let t = T0;
    for (let i = 0; i < 100; i++, t += MIN) learner.observe('lamp-1', t, t);
    expect(learner.intervalMs('lamp-1')).toBe(MIN);
    for (let i = 0; i < 8; i++, t += 10 * MIN) learner.observe('lamp-1', t, t);
    expect(learner.intervalMs('lamp-1')).toBe(10 * MIN);
    learner.forget('lamp-1');
    expect(learner.size).toBe(0);
  });
});
