/**
 * Per-device token bucket for PUBLISH packets.
 *
 * A publish over the rate is *delayed*, never acked-and-dropped: its authorizePublish callback
 * (and so its PUBACK) waits for a token. aedes reads no further bytes from a connection while a
 * packet of its current read batch is pending, so delaying is real TCP backpressure. A client
 * whose delayed backlog grows past `maxBacklog` is disconnected; its unacked QoS 1 messages are
 * retransmitted by the client after it reconnects [MQTT-4.4.0-1], so nothing acknowledged is lost.
 */
export interface Bucket {
  tokens: number;
  updatedAt: number;
  /** Publishes currently waiting for a token. */
  backlog: number;
}

export type RateDecision = { kind: 'now' } | { kind: 'wait'; ms: number } | { kind: 'overflow' };

export class PublishRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    ratePerS: number,
    private readonly burst: number,
    private readonly maxBacklog: number,
  ) {
    this.perMs = ratePerS / 1000;
  }

  take(key: string, now = performance.now()): RateDecision {
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.burst, updatedAt: now, backlog: 0 };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + (now - b.updatedAt) * this.perMs);
    b.updatedAt = now;
    if (b.backlog === 0 && b.tokens >= 1) {
      b.tokens -= 1;
      return { kind: 'now' };
    }
    if (b.backlog >= this.maxBacklog) return { kind: 'overflow' };
    // Reserve a future token: the balance goes negative and refills linearly, so the n-th waiter
    // is served when the balance would have reached 1 again (arrival order is kept).
    const ms = (1 - b.tokens) / this.perMs;
    b.tokens -= 1;
    b.backlog += 1;
    return { kind: 'wait', ms: Math.max(1, ms) };
  }

  /** A delayed publish got its turn (or its client went away). */
  release(key: string): void {
    const b = this.buckets.get(key);
    if (b && b.backlog > 0) b.backlog -= 1;
  }

  forget(key: string): void {
    const b = this.buckets.get(key);
    if (b && b.backlog === 0) this.buckets.delete(key);
  }
}
