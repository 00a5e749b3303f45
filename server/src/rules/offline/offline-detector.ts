/**
 * Offline detection against each device's learned reporting interval, with flap suppression.
 * Pure state machine: time comes in as parameters (epoch ms), nothing reads the clock, so a
 * simulated day runs in milliseconds and a scheduler just calls `evaluate(now)` periodically.
 *
 * Per device: online → (silent > timeout, and not within the hold-off after the last clear) → offline
 * → (readings again) returning → (enough separate arrivals over enough time) → online.
 * A device that falls silent again while returning stays offline: one alarm, not one per flap.
 */
import { ReportIntervalLearner, REPORT_INTERVAL_DEFAULTS, type ReportIntervalOptions } from './report-interval.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export interface OfflineDetectorOptions {
  /** silence allowed, in learned reporting intervals (k) */
  intervalMultiplier: number;
  /** the timeout is never shorter than this, ms: absorbs network jitter and gateway restarts */
  floorMs: number;
  /** nor longer than this, ms: a device that learned a huge interval is still noticed */
  ceilingMs: number;
  /** timeout while no interval is learned yet (new device, too little history), ms */
  unlearnedTimeoutMs: number;
  /** separate arrival bursts after a return before the offline alarm clears (a backlog flush is one) */
  clearAfterArrivals: number;
  /** and the device must have been back at least this long, ms */
  clearAfterMs: number;
  /** after an alarm clears, no new offline alarm for this long, ms */
  reRaiseHoldOffMs: number;
  /** passed to the interval learner */
  interval: Partial<ReportIntervalOptions>;
}

export const OFFLINE_DETECTOR_DEFAULTS: Readonly<OfflineDetectorOptions> = Object.freeze({
  intervalMultiplier: 3, // × learned interval
  floorMs: 2 * MINUTE_MS, // 2 min
  ceilingMs: 48 * HOUR_MS, // 48 h
  unlearnedTimeoutMs: 2 * HOUR_MS, // 2 h
  clearAfterArrivals: 3, // arrival bursts
  clearAfterMs: 5 * MINUTE_MS, // 5 min
  reRaiseHoldOffMs: 30 * MINUTE_MS, // 30 min
  interval: REPORT_INTERVAL_DEFAULTS,
});

export type ConnectivityState = 'offline' | 'online';

export interface OfflineTransition {
  deviceId: string;
  state: ConnectivityState;
  /** when the transition was decided, epoch ms (`now` of evaluate, `arrivedAt` of onReading) */
  at: number;
  /** human-readable, for the alarm text */
  reason: string;
  /** last arrival before the transition, epoch ms */
  lastSeenAt: number;
  /** the timeout that applied, ms */
  timeoutMs: number;
}

interface DeviceConnectivity {
  offline: boolean;
  /** last arrival, epoch ms (the silence clock runs on arrival, not on measurement ts) */
  lastSeenAt: number;
  offlineSince: number | null;
  /** first arrival after going offline (null when not returning), epoch ms */
  returnedAt: number | null;
  arrivalsSinceReturn: number;
  lastClearedAt: number | null;
}

export class OfflineDetector {
  private readonly opts: OfflineDetectorOptions;
  private readonly learner: ReportIntervalLearner;
  private readonly devices = new Map<string, DeviceConnectivity>();

  constructor(options: Partial<OfflineDetectorOptions> = {}) {
    this.opts = { ...OFFLINE_DETECTOR_DEFAULTS, ...options };
    validateDetectorOptions(this.opts);
    this.learner = new ReportIntervalLearner(this.opts.interval);
  }

  /**
   * Starts watching a device that has not reported yet (e.g. just registered), as if last seen at
   * `since`; it goes offline after `unlearnedTimeoutMs` of silence. No-op for a known device.
   */
  register(deviceId: string, since: number): void {
    if (!this.devices.has(deviceId)) this.devices.set(deviceId, freshState(since));
  }

  /** A reading arrived. Returns an 'online' transition when it clears an open offline alarm. */
  onReading(deviceId: string, ts: number, arrivedAt: number): OfflineTransition[] {
    if (!Number.isFinite(arrivedAt)) return []; // cannot place it in time; the learner ignores it too
    const { newBurst } = this.learner.observe(deviceId, ts, arrivedAt);
    const dev = this.devices.get(deviceId);
    if (!dev) {
      this.devices.set(deviceId, freshState(arrivedAt));
      return [];
    }
    dev.lastSeenAt = Math.max(dev.lastSeenAt, arrivedAt);
    if (!dev.offline) return [];

    if (dev.returnedAt === null) {
      dev.returnedAt = arrivedAt;
      dev.arrivalsSinceReturn = 1;
    } else if (newBurst) {
      dev.arrivalsSinceReturn++;
    }
    const backFor = arrivedAt - dev.returnedAt;
    if (dev.arrivalsSinceReturn < this.opts.clearAfterArrivals || backFor < this.opts.clearAfterMs) return [];

    const transition: OfflineTransition = {
      deviceId,
      state: 'online',
      at: arrivedAt,
      reason: `back online: ${dev.arrivalsSinceReturn} arrivals over ${formatDuration(backFor)} after being offline since ${new Date(dev.offlineSince ?? dev.returnedAt).toISOString()}`,
      lastSeenAt: dev.lastSeenAt,
      timeoutMs: this.timeoutMs(deviceId),
    };
    dev.offline = false;
    dev.offlineSince = null;
    dev.returnedAt = null;
    dev.arrivalsSinceReturn = 0;
    dev.lastClearedAt = arrivedAt;
    return [transition];
  }

  /** Periodic check (scheduler tick). Returns the devices that went offline now. O(devices). */
  evaluate(now: number): OfflineTransition[] {
    const out: OfflineTransition[] = [];
    for (const [deviceId, dev] of this.devices) {
      const timeoutMs = this.timeoutMs(deviceId);
      const silentFor = now - dev.lastSeenAt;
      if (silentFor <= timeoutMs) continue;
      if (dev.offline) {
        // Fell silent again before the alarm cleared: same alarm, start counting the return afresh.
        dev.returnedAt = null;
        dev.arrivalsSinceReturn = 0;
        continue;
      }
      if (dev.lastClearedAt !== null && now - dev.lastClearedAt < this.opts.reRaiseHoldOffMs) continue;
      dev.offline = true;
      dev.offlineSince = now;
      out.push({
        deviceId,
        state: 'offline',
        at: now,
        reason: this.offlineReason(deviceId, silentFor, timeoutMs),
        lastSeenAt: dev.lastSeenAt,
        timeoutMs,
      });
    }
    return out;
  }

  /** Silence allowed for this device, ms: k × learned interval, within [floor, ceiling]. */
  timeoutMs(deviceId: string): number {
    const interval = this.learner.intervalMs(deviceId);
    const raw = interval === null ? this.opts.unlearnedTimeoutMs : this.opts.intervalMultiplier * interval;
    return Math.min(this.opts.ceilingMs, Math.max(this.opts.floorMs, raw));
  }

  isOffline(deviceId: string): boolean {
    return this.devices.get(deviceId)?.offline ?? false;
  }

  /** Learned interval, ms, or null while unknown. */
  learnedIntervalMs(deviceId: string): number | null {
    return this.learner.intervalMs(deviceId);
  }

  /** Drops a decommissioned device and its history. */
  forget(deviceId: string): void {
    this.devices.delete(deviceId);
    this.learner.forget(deviceId);
  }

  get size(): number {
    return this.devices.size;
  }

  private offlineReason(deviceId: string, silentForMs: number, timeoutMs: number): string {
    const interval = this.learner.intervalMs(deviceId);
    const basis =
      interval === null
        ? `no learned interval yet, default timeout ${formatDuration(timeoutMs)}`
        : `timeout ${formatDuration(timeoutMs)} = ${this.opts.intervalMultiplier} × learned interval ${formatDuration(interval)} (bounded to [${formatDuration(this.opts.floorMs)}, ${formatDuration(this.opts.ceilingMs)}])`;
    return `no reading for ${formatDuration(silentForMs)}; ${basis}`;
  }
}

function validateDetectorOptions(o: OfflineDetectorOptions): void {
  const keys = ['intervalMultiplier', 'floorMs', 'ceilingMs', 'unlearnedTimeoutMs', 'clearAfterMs', 'reRaiseHoldOffMs'] as const;
  for (const key of keys) {
    if (!Number.isFinite(o[key]) || o[key] < 0) throw new RangeError(`${key}: must be a finite number ≥ 0, got ${o[key]}`);
  }
  if (o.intervalMultiplier < 1) throw new RangeError(`intervalMultiplier: must be ≥ 1, got ${o.intervalMultiplier}`);
  if (o.ceilingMs < o.floorMs) throw new RangeError(`ceilingMs: must be ≥ floorMs (${o.floorMs}), got ${o.ceilingMs}`);
  if (!Number.isInteger(o.clearAfterArrivals) || o.clearAfterArrivals < 1) {
    throw new RangeError(`clearAfterArrivals: must be an integer ≥ 1, got ${o.clearAfterArrivals}`);
  }
}

function freshState(seenAt: number): DeviceConnectivity {
  return { offline: false, lastSeenAt: seenAt, offlineSince: null, returnedAt: null, arrivalsSinceReturn: 0, lastClearedAt: null };
}

function formatDuration(ms: number): string {
  if (ms < MINUTE_MS) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * HOUR_MS) return `${Math.round(ms / MINUTE_MS)} min`;
  return `${(ms / HOUR_MS).toFixed(1)} h`;
}
