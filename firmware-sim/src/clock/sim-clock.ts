/**
 * Simulated time: `speed` simulated ms per real ms from `startSim`. Pausing is not needed; the
 * clock only runs forwards, and a stopped clock stays at its last reading.
 */
export class SimClock {
  private realStart = 0;
  private frozenAt: number | null = null;

  constructor(
    readonly startSim: number,
    readonly speed: number,
    private readonly realNow: () => number = () => performance.now(),
    /**
     * Wall instant (in `realNow`'s units) at which sim time is `startSim`: the clock then runs from
     * that instant, not from start(), so another process given the same three values (the server's
     * CLOCK_START/CLOCK_ANCHOR/CLOCK_SPEED) keeps the same time.
     */
    private readonly anchor?: number,
  ) {
    this.frozenAt = startSim;
  }

  start(): void {
    this.realStart = this.anchor ?? this.realNow();
    this.frozenAt = null;
  }

  freeze(): void {
    this.frozenAt = this.now();
  }

  /** Current sim time, epoch ms. */
  now(): number {
    if (this.frozenAt !== null) return this.frozenAt;
    return this.startSim + (this.realNow() - this.realStart) * this.speed;
  }
}
