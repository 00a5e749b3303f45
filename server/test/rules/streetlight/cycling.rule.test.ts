import { describe, expect, it } from 'vitest';
import { CyclingDetector } from '../../../src/rules/streetlight/cycling.rule.js';
import { at, MINUTE, WINTER } from './hangzhou.fixture.js';

const t0 = at(WINTER, '23:00');

/** Feeds alternating on/off readings every `stepMs`, starting lit; returns the last verdict. */
function switchRepeatedly(d: CyclingDetector, id: string, switches: number, stepMs: number, from = t0) {
  let v = d.observe(id, from, true);
  for (let i = 1; i <= switches; i++) v = d.observe(id, from + i * stepMs, i % 2 === 0);
  return v;
}

describe('CyclingDetector', () => {
  it('6 switches in 10 minutes → cycling, with a readable detail', () => {
    const v = switchRepeatedly(new CyclingDetector(), 'SL-1', 6, 100_000); // 6 transitions over 10 min
    expect(v).toEqual({
      cycling: true,
      transitions: 6,
      condition: { cause: 'cycling', code: 'rapid-switching', detail: '≥ 6 on/off transitions within 10 min (limit 6)' },
    });
  });

  it('5 switches in 10 minutes, or 6 spread over an hour → not cycling', () => {
    expect(switchRepeatedly(new CyclingDetector(), 'SL-1', 5, 2 * MINUTE).cycling).toBe(false);
    expect(switchRepeatedly(new CyclingDetector(), 'SL-1', 6, 10 * MINUTE).cycling).toBe(false);
  });

  it('a normal night (on at dusk, off at dawn, steady readings in between) never cycles', () => {
    const d = new CyclingDetector();
    let cycling = false;
    for (let m = 0; m < 24 * 60; m += 5) {
      const lit = m < 7 * 60 || m >= 17 * 60;
      cycling ||= d.observe('SL-1', at(WINTER, '00:00') + m * MINUTE, lit).cycling;
    }
    expect(cycling).toBe(false);
  });

  it('stays cycling while switching continues, clears once the lamp has settled for the window', () => {
    const d = new CyclingDetector();
    switchRepeatedly(d, 'SL-1', 8, MINUTE);
    const last = t0 + 8 * MINUTE;
    // Hysteresis: 5 transitions left in the window is still cycling...
    expect(d.evaluate('SL-1', last + 3 * MINUTE + 1)).toMatchObject({ cycling: true });
    // ...and it clears only when fewer than 2 remain.
    expect(d.evaluate('SL-1', last + 8 * MINUTE)).toMatchObject({ cycling: true, transitions: 2 });
    expect(d.evaluate('SL-1', last + 9 * MINUTE)).toEqual({ cycling: false, transitions: 1 });
    // A steady reading afterwards keeps it clear.
    expect(d.observe('SL-1', last + 11 * MINUTE, true).cycling).toBe(false);
  });

  it('ignores repeated and out-of-order readings (at-least-once delivery)', () => {
    const d = new CyclingDetector();
    d.observe('SL-1', t0, true);
    d.observe('SL-1', t0 + MINUTE, false);
    for (let i = 0; i < 10; i++) {
      d.observe('SL-1', t0 + MINUTE, false); // repeat
      d.observe('SL-1', t0 + 30_000, i % 2 === 0); // late, older than the newest reading
    }
    expect(d.evaluate('SL-1', t0 + 2 * MINUTE)).toEqual({ cycling: false, transitions: 1 });
  });

  it('keeps lamps apart and bounds memory by forgetting the least recently seen lamp', () => {
    const d = new CyclingDetector({ maxLamps: 3 });
    switchRepeatedly(d, 'SL-A', 6, MINUTE);
    for (const id of ['SL-B', 'SL-C']) d.observe(id, t0, true);
    expect(d.evaluate('SL-B', t0 + 6 * MINUTE).cycling).toBe(false);
    d.observe('SL-A', t0 + 6 * MINUTE, true); // A seen again: now the most recent
    d.observe('SL-D', t0 + 6 * MINUTE, true); // evicts B, the least recently seen
    expect(d.size).toBe(3);
    expect(d.evaluate('SL-A', t0 + 6 * MINUTE).cycling).toBe(true);
    expect(d.evaluate('SL-B', t0 + 6 * MINUTE)).toEqual({ cycling: false, transitions: 0 });
    d.forget('SL-A');
    expect(d.size).toBe(2);
  });

  it('rejects nonsensical options, naming them', () => {
    expect(() => new CyclingDetector({ windowMs: 0 })).toThrow(/windowMs/);
    expect(() => new CyclingDetector({ minTransitions: 4, clearBelowTransitions: 5 })).toThrow(/clearBelowTransitions/);
  });
});
