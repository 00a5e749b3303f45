import { MINUTE_MS } from './local-clock.js';
import { fmt, type LampCondition } from './streetlight-conditions.js';

/**
 * Cycling: a lamp switching on/off again and again (a hunting photocell at dusk, a failing HID
 * ballast's thermal cut-out, a loose contact). Counts lampOn transitions per lamp within a sliding
 * window. Memory is bounded twice: per lamp (only the newest transitions are kept) and overall
 * (least recently seen lamps are forgotten beyond `maxLamps`). Time comes from the readings.
 */

export const CYCLING_DEFAULTS = {
  /** Sliding window, ms. */
  windowMs: 10 * MINUTE_MS,
  /** At least this many on↔off transitions within the window raise cycling. */
  minTransitions: 6,
  /** Once cycling, it clears only when the window holds fewer than this many transitions (hysteresis). */
  clearBelowTransitions: 2,
  /** Lamps remembered at most; the least recently seen are forgotten first. */
  maxLamps: 200_000,
} as const;

export type CyclingOptions = { -readonly [K in keyof typeof CYCLING_DEFAULTS]: number };

export interface CyclingVerdict {
  cycling: boolean;
  /** Transitions within the window ending at the evaluated instant (capped at the per-lamp memory). */
  transitions: number;
  /** Present while cycling. */
  condition?: LampCondition;
}

interface LampMemory {
  lastAt: number;
  lastOn: boolean;
  /** Transition instants, oldest first, at most `cap` of them. */
  transitions: number[];
  cycling: boolean;
}

export class CyclingDetector {
  private readonly o: CyclingOptions;
  private readonly lamps = new Map<string, LampMemory>();
  /** Enough to decide "≥ minTransitions"; older ones can never matter. */
  private readonly cap: number;

  constructor(options: Partial<CyclingOptions> = {}) {
    this.o = { ...CYCLING_DEFAULTS, ...options };
    for (const [key, v] of Object.entries(this.o)) {
      if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${key}: must be a positive number, got ${v}`);
    }
    if (this.o.clearBelowTransitions > this.o.minTransitions) {
      throw new RangeError(`clearBelowTransitions: must be ≤ minTransitions (${this.o.minTransitions}), got ${this.o.clearBelowTransitions}`);
    }
    this.cap = Math.ceil(this.o.minTransitions);
  }

  /** Number of lamps currently remembered. */
  get size(): number {
    return this.lamps.size;
  }

  /**
   * Feeds one reading's relay state. Readings older than the newest one seen for the lamp are
   * ignored (delivery is at least once and may reorder); a repeated reading changes nothing.
   */
  observe(deviceId: string, at: number, lampOn: boolean): CyclingVerdict {
    let m = this.lamps.get(deviceId);
    if (!m) {
      m = { lastAt: at, lastOn: lampOn, transitions: [], cycling: false };
      this.remember(deviceId, m);
      return this.judge(m, at);
    }
    this.touch(deviceId, m);
    if (at < m.lastAt) return this.judge(m, m.lastAt);
    if (lampOn !== m.lastOn) {
      m.transitions.push(at);
      if (m.transitions.length > this.cap) m.transitions.shift();
    }
    m.lastAt = at;
    m.lastOn = lampOn;
    return this.judge(m, at);
  }

  /** Re-evaluates at `at` without a reading (scheduled check), so cycling clears once the lamp settles. */
  evaluate(deviceId: string, at: number): CyclingVerdict {
    const m = this.lamps.get(deviceId);
    if (!m) return { cycling: false, transitions: 0 };
    return this.judge(m, Math.max(at, m.lastAt));
  }

  /** Drops a lamp's memory (device deleted or replaced). */
  forget(deviceId: string): void {
    this.lamps.delete(deviceId);
  }

  private judge(m: LampMemory, at: number): CyclingVerdict {
    const since = at - this.o.windowMs;
    while (m.transitions.length > 0 && (m.transitions[0] ?? at) <= since) m.transitions.shift();
    const transitions = m.transitions.length;
    if (!m.cycling && transitions >= this.o.minTransitions) m.cycling = true;
    else if (m.cycling && transitions < this.o.clearBelowTransitions) m.cycling = false;
    if (!m.cycling) return { cycling: false, transitions };
    return {
      cycling: true,
      transitions,
      condition: {
        cause: 'cycling',
        code: 'rapid-switching',
        detail: `${transitions >= this.cap ? '≥ ' : ''}${transitions} on/off transitions within ${fmt(this.o.windowMs / MINUTE_MS)} min (limit ${this.o.minTransitions})`,
      },
    };
  }

  private remember(deviceId: string, m: LampMemory): void {
    this.lamps.set(deviceId, m);
    while (this.lamps.size > this.o.maxLamps) {
      const oldest = this.lamps.keys().next().value;
      if (oldest === undefined) break;
      this.lamps.delete(oldest);
    }
  }

  /** Map keeps insertion order: re-inserting makes this lamp the most recently seen. */
  private touch(deviceId: string, m: LampMemory): void {
    this.lamps.delete(deviceId);
    this.lamps.set(deviceId, m);
  }
}
