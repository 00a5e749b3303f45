// Pure parts of the dispatch benchmark: percentiles and matching job events to the readings
// that should have caused them. No I/O, unit-tested in bench/test/dispatch-latency.test.ts.

/**
 * Nearest-rank percentile (p in [0, 100]) of unsorted values; NaN when empty.
 * @param {readonly number[]} values @param {number} p
 */
export function percentile(values, p) {
  if (!values.length) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Milliseconds as an integer below 100, else one decimal is noise: `12.3`, `140`. @param {number} ms */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms < 100 ? ms.toFixed(1) : String(Math.round(ms));
}

/**
 * Matches `job:changed` events to crossing readings. `expect(deviceId, t0)` is called just
 * before the crossing reading is published; the first job event for that device after it
 * ends the event (t1). Later events for the same device (assignment, …) only add job ids, so
 * `jobIds` tells whether one reading produced exactly one job. Job events for devices that
 * were never expected (other bins) are counted, not matched.
 */
export class DispatchTracker {
  constructor() {
    /** @type {Map<string, { t0: number, t1: number | null, handoff: number | null, jobIds: Set<string> }>} */
    this.events = new Map();
    this.unexpected = 0;
    /** @type {Array<() => void>} */
    this.waiters = [];
  }

  /** @param {string} deviceId @param {number} t0 monotonic ms, just before the crossing reading is published */
  expect(deviceId, t0) {
    if (this.events.has(deviceId)) throw new Error(`device ${deviceId} already has an event in flight`);
    this.events.set(deviceId, { t0, t1: null, handoff: null, jobIds: new Set() });
  }

  /**
   * The gateway handed the crossing reading to the core (seen on `$internal/v1/readings`).
   * @param {string} deviceId @param {number} now monotonic ms
   */
  onHandoff(deviceId, now) {
    const event = this.events.get(deviceId);
    if (event && event.handoff === null) event.handoff = now;
  }

  /** @param {{ deviceId: string, jobId: string }} job @param {number} now monotonic ms */
  onJob(job, now) {
    const event = this.events.get(job.deviceId);
    if (!event) {
      this.unexpected++;
      return;
    }
    event.jobIds.add(job.jobId);
    if (event.t1 === null) {
      event.t1 = now;
      for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Latencies (t1 − t0, ms) of the events that got their job. */
  latencies() {
    const out = [];
    for (const e of this.events.values()) if (e.t1 !== null) out.push(e.t1 - e.t0);
    return out;
  }

  /**
   * The delay split at the hand-off, ms: publish → the gateway hands the reading to the core
   * (auth, validation, spool fsync, internal publish), and hand-off → job on the socket (server:
   * consume, rules, incident sink, database, emit, socket.io).
   */
  phases() {
    const gateway = [];
    const server = [];
    for (const e of this.events.values()) {
      if (e.handoff === null || e.t1 === null) continue;
      gateway.push(e.handoff - e.t0);
      server.push(e.t1 - e.handoff);
    }
    return { gateway, server };
  }

  /** Devices whose crossing reading has not (yet) produced a job event. */
  pending() {
    return [...this.events].filter(([, e]) => e.t1 === null).map(([id]) => id);
  }

  /** Devices whose events carried more than one job id. */
  duplicates() {
    return [...this.events].filter(([, e]) => e.jobIds.size > 1).map(([id, e]) => ({ deviceId: id, jobIds: [...e.jobIds] }));
  }

  /**
   * Resolves when every expected event has its job, or after `timeoutMs` (then some are pending).
   * @param {number} timeoutMs
   */
  async settle(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (this.pending().length && Date.now() < deadline) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, Math.min(250, Math.max(1, deadline - Date.now())));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
    return this.pending().length === 0;
  }
}
