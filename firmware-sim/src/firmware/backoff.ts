/**
 * Exponential reconnect backoff with jitter: after an outage 10,000 devices must not all knock at
 * the same instant (thundering herd), so each waits a random 50–100 % of the capped exponential step.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const step = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(step * (0.5 + 0.5 * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
