import type { RejectReason } from '@sanitation/contracts';

/** Plain counters on the hot path; /stats and /metrics read them at request time. */
export class IngestStats {
  accepted = 0;
  duplicates = 0;
  rejectedTotal = 0;
  readonly rejectedByReason: Partial<Record<RejectReason, number>> = {};
  readonly rejectedByDevice = new Map<string, Partial<Record<RejectReason, number>>>();
  /** Publishes delayed by the per-device rate limit, and clients cut off for an excessive backlog. */
  rateLimitedDelayed = 0;
  rateLimitedDisconnected = 0;
  /** Non-telemetry device messages (status/event/cmd/ack) with an invalid payload, acked and dropped. */
  invalidMessages = 0;

  reject(deviceId: string, reason: RejectReason, n = 1): void {
    this.rejectedTotal += n;
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + n;
    let byReason = this.rejectedByDevice.get(deviceId);
    if (!byReason) {
      byReason = {};
      this.rejectedByDevice.set(deviceId, byReason);
    }
    byReason[reason] = (byReason[reason] ?? 0) + n;
  }
}
