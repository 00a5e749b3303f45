import { describe, expect, it } from 'vitest';
import { OfflineDetector, type OfflineTransition } from '../../src/rules/offline/offline-detector.js';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 27, 0, 0, 0);

/**
 * Simulated clock: steps `now` by `tickMs`, delivers readings due by then (arrival = ts unless
 * given), calls evaluate, collects all transitions.
 */
function run(
  detector: OfflineDetector,
  until: number,
  tickMs: number,
  readings: Array<{ deviceId: string; ts: number; arrivedAt?: number }>,
  from = T0,
): OfflineTransition[] {
  const queue = readings
    .map((r) => ({ ...r, arrivedAt: r.arrivedAt ?? r.ts }))
    .sort((a, b) => a.arrivedAt - b.arrivedAt);
  const out: OfflineTransition[] = [];
  let next = 0;
  for (let now = from; now <= until; now += tickMs) {
    while (next < queue.length && queue[next]!.arrivedAt <= now) {
      const r = queue[next++]!;
      out.push(...detector.onReading(r.deviceId, r.ts, r.arrivedAt));
    }
    out.push(...detector.evaluate(now));
  }
  return out;
}

function every(deviceId: string, from: number, to: number, stepMs: number): Array<{ deviceId: string; ts: number }> {
  const out: Array<{ deviceId: string; ts: number }> = [];
  for (let ts = from; ts < to; ts += stepMs) out.push({ deviceId, ts });
  return out;
}

describe('OfflineDetector', () => {
  it('a device reporting every 15 min goes offline after ~3 intervals of silence, not a global timeout', () => {
    const detector = new OfflineDetector();
    const lastAt = T0 + 4 * HOUR - 15 * MIN;
    const transitions = run(detector, T0 + 6 * HOUR, MIN, every('bin-1', T0, T0 + 4 * HOUR, 15 * MIN));
    expect(transitions).toHaveLength(1);
    const [t] = transitions;
    expect(t!.state).toBe('offline');
    expect(t!.timeoutMs).toBe(45 * MIN);
    expect(t!.at).toBeGreaterThan(lastAt + 45 * MIN);
    expect(t!.at).toBeLessThanOrEqual(lastAt + 46 * MIN);
    expect(t!.reason).toMatch(/learned interval 15 min/);
  });

  it('a truck reporting every 30 s goes offline much sooner (floor 2 min)', () => {
    const detector = new OfflineDetector();
    const stopAt = T0 + HOUR;
    const transitions = run(
      detector,
      T0 + 2 * HOUR,
      10 * SEC,
      [...every('truck-1', T0, stopAt, 30 * SEC), ...every('bin-1', T0, T0 + 2 * HOUR, 15 * MIN)],
    );
    expect(transitions.map((t) => [t.deviceId, t.state])).toEqual([['truck-1', 'offline']]);
    expect(transitions[0]!.timeoutMs).toBe(2 * MIN); // 3 × 30 s = 90 s, raised to the floor
    expect(transitions[0]!.at - (stopAt - 30 * SEC)).toBeLessThanOrEqual(2 * MIN + 10 * SEC);
  });

  it('a device with no learned interval uses the unlearned timeout', () => {
    const detector = new OfflineDetector();
    detector.register('new-1', T0);
    expect(detector.evaluate(T0 + 2 * HOUR)).toEqual([]);
    const [t] = detector.evaluate(T0 + 2 * HOUR + 1);
    expect(t).toMatchObject({ deviceId: 'new-1', state: 'offline', timeoutMs: 2 * HOUR });
    expect(t!.reason).toMatch(/no learned interval/);
  });

  it('a flapping device produces one offline alarm, not many', () => {
    const detector = new OfflineDetector();
    // Steady 5 min reporting for 2 h, then a bad link: 1–2 readings, 40 min silence, repeated.
    const readings = every('toilet-1', T0, T0 + 2 * HOUR, 5 * MIN);
    for (let cycle = 0; cycle < 8; cycle++) {
      const base = T0 + 2 * HOUR + cycle * 45 * MIN + 40 * MIN;
      readings.push({ deviceId: 'toilet-1', ts: base });
      if (cycle % 2 === 0) readings.push({ deviceId: 'toilet-1', ts: base + 5 * MIN });
    }
    const flapEnd = T0 + 2 * HOUR + 8 * 45 * MIN;
    const during = run(detector, flapEnd, MIN, readings);
    expect(during.map((t) => t.state)).toEqual(['offline']);

    // The link heals: steady again, the alarm clears once (after 3 arrivals over ≥ 5 min). The
    // flapping gaps were learned too (a longer interval), so the last flap reading may count as one.
    const healed = every('toilet-1', flapEnd + 40 * MIN, flapEnd + 3 * HOUR, 5 * MIN);
    const after = run(detector, flapEnd + 3 * HOUR, MIN, healed, flapEnd + MIN);
    expect(after.map((t) => t.state)).toEqual(['online']);
    expect(after[0]!.at).toBeLessThanOrEqual(flapEnd + 50 * MIN);
  });

  it('a store-and-forward backlog counts as one arrival and does not clear the alarm by itself', () => {
    const detector = new OfflineDetector();
    const live = every('bin-2', T0, T0 + 2 * HOUR, 15 * MIN);
    const offline = run(detector, T0 + 5 * HOUR, MIN, live);
    expect(offline.map((t) => t.state)).toEqual(['offline']);

    // Back at 5 h with 12 buffered readings in one batch.
    const flushAt = T0 + 5 * HOUR;
    const flushed: OfflineTransition[] = [];
    for (let i = 0; i < 12; i++) flushed.push(...detector.onReading('bin-2', T0 + 2 * HOUR + i * 15 * MIN, flushAt + i));
    expect(flushed).toEqual([]);
    expect(detector.isOffline('bin-2')).toBe(true);
    expect(detector.learnedIntervalMs('bin-2')).toBe(15 * MIN);

    // Two more live readings → 3 arrivals over 30 min → clears.
    expect(detector.onReading('bin-2', flushAt + 15 * MIN, flushAt + 15 * MIN)).toEqual([]);
    const [back] = detector.onReading('bin-2', flushAt + 30 * MIN, flushAt + 30 * MIN);
    expect(back).toMatchObject({ deviceId: 'bin-2', state: 'online', at: flushAt + 30 * MIN });
  });

  it('does not re-raise within the hold-off after clearing', () => {
    const detector = new OfflineDetector();
    const out = run(
      detector,
      T0 + 4 * HOUR,
      MIN,
      [
        ...every('truck-2', T0, T0 + HOUR, 30 * SEC),
        // silent 10 min → offline; back for 6 min → online at ~1 h 16 min; silent again
        ...every('truck-2', T0 + HOUR + 10 * MIN, T0 + HOUR + 16 * MIN + 1, 30 * SEC),
      ],
    );
    expect(out.map((t) => t.state)).toEqual(['offline', 'online', 'offline']);
    const cleared = out[1]!.at;
    expect(out[2]!.at - cleared).toBeGreaterThanOrEqual(30 * MIN); // hold-off, though silent after 2 min
  });

  it('names bad options', () => {
    expect(() => new OfflineDetector({ intervalMultiplier: 0.5 })).toThrow(/intervalMultiplier/);
    expect(() => new OfflineDetector({ floorMs: HOUR, ceilingMs: MIN })).toThrow(/ceilingMs/);
    expect(() => new OfflineDetector({ clearAfterArrivals: 0 })).toThrow(/clearAfterArrivals/);
    expect(() => new OfflineDetector({ interval: { historySize: -1 } })).toThrow(/historySize/);
  });

  it('keeps state for 10,000 devices', () => {
    const detector = new OfflineDetector();
    for (let i = 0; i < 10_000; i++) {
      for (let k = 0; k < 20; k++) detector.onReading(`d-${i}`, T0 + k * 15 * MIN, T0 + k * 15 * MIN);
    }
    expect(detector.size).toBe(10_000);
    const now = T0 + 19 * 15 * MIN + 46 * MIN;
    expect(detector.evaluate(now)).toHaveLength(10_000);
    expect(detector.evaluate(now + MIN)).toHaveLength(0); // already offline: no repeats
    detector.forget('d-0');
    expect(detector.size).toBe(9_999);
  });
});
