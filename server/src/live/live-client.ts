import type { Alarm, DeviceStateEvent, Job, LiveSubscription, TruckPositionEvent } from '@sanitation/contracts';
import type { AuthenticatedOperator } from '../auth/auth.service.js';
import type { LiveOptions } from './live.options.js';

/** Where a client's events go (a socket in production, an array in unit tests). */
export interface LiveSink {
  alarm(alarm: Alarm): void;
  job(job: Job): void;
  devices(states: DeviceStateEvent[]): void;
  trucks(positions: TruckPositionEvent[]): void;
  /** False while the transport is backed up: batches wait (coalesced) instead of piling up. */
  writable(): boolean;
}

/**
 * One dashboard connection: its subscription, and the device states and truck positions waiting
 * for its next batch. Alarms and jobs go out at once (dispatch latency matters); device states
 * go out at most every `deviceBatchMs` as one array holding the latest state per device; each
 * truck's position at most `1000 / truckRatePerS` ms apart, the latest one winning. Pending maps
 * hold one entry per device, so a slow client costs bounded memory.
 *
 * A crew operator sees only jobs assigned to one of its crews (and, once, a job that stopped
 * being theirs, so their list can drop it); no alarms, device states or truck positions.
 */
export class LiveClient {
  private subscriptionValue: LiveSubscription | null = null;
  private truckIntervalMs: number;
  private readonly pendingDevices = new Map<string, DeviceStateEvent>();
  private readonly pendingTrucks = new Map<string, TruckPositionEvent>();
  private readonly truckSentAt = new Map<string, number>();
  private lastDeviceFlush = Number.NEGATIVE_INFINITY;
  private readonly crewJobs = new Set<string>();
  private crewUnitsValue: ReadonlySet<string> | null;

  constructor(
    readonly id: string,
    readonly operator: AuthenticatedOperator,
    private readonly sink: LiveSink,
    private readonly options: LiveOptions,
    crewUnits: ReadonlySet<string> | null = null,
  ) {
    this.crewUnitsValue = operator.role === 'crew' ? (crewUnits ?? new Set()) : null;
    this.truckIntervalMs = 1000 / options.maxTruckRatePerS;
  }

  get subscription(): LiveSubscription | null {
    return this.subscriptionValue;
  }

  get isCrew(): boolean {
    return this.crewUnitsValue !== null;
  }

  /** Units (`crew:<id>`, `vehicle:<id>`) whose jobs this crew operator sees (refreshed at each subscribe). */
  setCrewUnits(units: ReadonlySet<string>): void {
    if (this.isCrew) this.crewUnitsValue = units;
  }

  /** Applies a validated subscription; returns it with the truck rate the server will honour. */
  subscribe(subscription: LiveSubscription): LiveSubscription {
    const rate = Math.min(subscription.maxTruckRatePerS ?? this.options.maxTruckRatePerS, this.options.maxTruckRatePerS);
    this.truckIntervalMs = 1000 / rate;
    this.subscriptionValue = { ...subscription, maxTruckRatePerS: rate };
    // What was pending belonged to the old area.
    this.pendingDevices.clear();
    this.pendingTrucks.clear();
    return this.subscriptionValue;
  }

  unsubscribe(): void {
    this.subscriptionValue = null;
    this.pendingDevices.clear();
    this.pendingTrucks.clear();
    this.crewJobs.clear();
  }

  offerAlarm(alarm: Alarm): void {
    if (!this.isCrew) this.sink.alarm(alarm);
  }

  offerJob(job: Job): void {
    const crew = this.crewUnitsValue;
    if (crew === null) {
      this.sink.job(job);
      return;
    }
    const theirs = job.assignee !== null && crew.has(`${job.assignee.unitType}:${job.assignee.unitId}`);
    if (theirs) this.crewJobs.add(job.jobId);
    else if (!this.crewJobs.delete(job.jobId)) return;
    this.sink.job(job);
  }

  /** Queues a device state; true when the client now has something pending. */
  offerDevice(state: DeviceStateEvent): boolean {
    if (this.isCrew) return false;
    this.pendingDevices.set(state.deviceId, state);
    return true;
  }

  /** Queues a truck position (the latest per truck wins); true when something is pending. */
  offerTruck(position: TruckPositionEvent): boolean {
    if (this.isCrew) return false;
    this.pendingTrucks.set(position.deviceId, position);
    return true;
  }

  hasPending(): boolean {
    return this.pendingDevices.size > 0 || this.pendingTrucks.size > 0;
  }

  /** Sends what is due at `now` (a monotonic ms clock). */
  flush(now: number): void {
    if (!this.hasPending() || !this.sink.writable()) return;
    if (this.pendingDevices.size > 0 && now - this.lastDeviceFlush >= this.options.deviceBatchMs) {
      const states = [...this.pendingDevices.values()];
      this.pendingDevices.clear();
      this.lastDeviceFlush = now;
      this.sink.devices(states);
    }
    if (this.pendingTrucks.size > 0) this.flushTrucks(now);
  }

  private flushTrucks(now: number): void {
    const due: TruckPositionEvent[] = [];
    for (const [truck, position] of this.pendingTrucks) {
      const sentAt = this.truckSentAt.get(truck);
      if (sentAt !== undefined && now - sentAt < this.truckIntervalMs) continue;
      due.push(position);
      this.pendingTrucks.delete(truck);
      this.truckSentAt.set(truck, now);
    }
    // Forget send times that no longer hold anything back, so the map tracks active trucks only.
    if (this.truckSentAt.size > 256) {
      for (const [truck, sentAt] of this.truckSentAt) {
        if (now - sentAt >= this.truckIntervalMs && !this.pendingTrucks.has(truck)) this.truckSentAt.delete(truck);
      }
    }
    if (due.length) this.sink.trucks(due);
  }
}
