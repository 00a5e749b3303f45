/**
 * The server's notion of "now". Rules, escalation, SLA checks and job timestamps take time from
 * here, never from Date.now(), so a simulated day (the simulator at 1440×) runs in a minute and
 * tests can step time by hand.
 */
export interface Clock {
  /** Epoch ms. */
  now(): number;
}

/** Nest injection token for the Clock. */
export const CLOCK = Symbol('CLOCK');

export const wallClock: Clock = { now: () => Date.now() };

/**
 * Simulated time running `speed`× from `simStart` at wall time `wallAnchor`. The anchor is an
 * absolute wall time (not process start), so a restarted server continues the same timeline.
 */
export class ScaledClock implements Clock {
  constructor(
    readonly simStart: number,
    readonly wallAnchor: number,
    readonly speed: number,
    private readonly wallNow: () => number = Date.now,
  ) {}

  now(): number {
    return Math.round(this.simStart + (this.wallNow() - this.wallAnchor) * this.speed);
  }
}

/** A clock a test moves by hand. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
