import { DEVICE_KINDS, type DeviceKind, type RuleParams } from '@sanitation/contracts';
import type { DeviceDirectory } from '../devices/device-directory.js';
import { OfflineDetector, type OfflineDetectorOptions, type OfflineTransition } from '../rules/offline/offline-detector.js';
import type { ConditionTracker } from './condition-tracker.js';
import { HOUR_MS, MINUTE_MS, report } from './evaluation.js';

export function offlineOptions(p: RuleParams): Partial<OfflineDetectorOptions> {
  return {
    intervalMultiplier: p.offlineMultiplier,
    floorMs: p.offlineFloorMin * MINUTE_MS,
    ceilingMs: p.offlineCeilingH * HOUR_MS,
    unlearnedTimeoutMs: p.offlineUnlearnedTimeoutMin * MINUTE_MS,
    clearAfterArrivals: p.offlineClearAfterArrivals,
    clearAfterMs: p.offlineClearAfterMin * MINUTE_MS,
    reRaiseHoldOffMs: p.offlineReRaiseHoldOffMin * MINUTE_MS,
  };
}

/**
 * Offline detection per kind (one detector per kind: its options are kind-level), each device
 * against its own learned reporting interval, with the detector's flap suppression. Arrival time is
 * the server clock when the reading was handled, so simulated time works like real time.
 */
export class OfflineMonitor {
  private readonly detectors = new Map<DeviceKind, OfflineDetector>();
  private readonly enabled = new Map<DeviceKind, boolean>();
  private readonly signatures = new Map<DeviceKind, string>();

  constructor(
    private readonly directory: DeviceDirectory,
    private readonly tracker: ConditionTracker,
    paramsOf: (kind: DeviceKind) => RuleParams,
    private readonly onTransition: (deviceId: string, online: boolean) => void,
  ) {
    for (const kind of DEVICE_KINDS) this.configure(kind, paramsOf(kind));
  }

  /** (Re)builds a kind's detector; learned intervals restart only if its options changed. */
  configure(kind: DeviceKind, p: RuleParams): void {
    this.enabled.set(kind, p.offlineEnabled);
    const options = offlineOptions(p);
    const signature = JSON.stringify(options);
    if (this.signatures.get(kind) === signature) return;
    this.signatures.set(kind, signature);
    this.detectors.set(kind, new OfflineDetector(options));
  }

  /** Starts the silence clock of a device that has not reported yet. */
  watch(deviceId: string, kind: DeviceKind, since: number): void {
    this.detectors.get(kind)?.register(deviceId, since);
  }

  onReading(deviceId: string, kind: DeviceKind, ts: number, arrivedAt: number): void {
    const detector = this.detectors.get(kind);
    if (!detector) return;
    for (const t of detector.onReading(deviceId, ts, arrivedAt)) this.back(t);
    // Open in the database from before a restart, unknown to the fresh detector: it reports, so it is back.
    if (!detector.isOffline(deviceId) && this.tracker.clear(deviceId, 'offline', arrivedAt, 'reporting again')) this.onTransition(deviceId, true);
  }

  isOffline(deviceId: string, kind: DeviceKind): boolean {
    return this.detectors.get(kind)?.isOffline(deviceId) ?? false;
  }

  /** Scheduler tick at the clock's `now`. */
  evaluate(now: number): void {
    for (const [kind, detector] of this.detectors) {
      for (const t of detector.evaluate(now)) {
        const device = this.directory.get(t.deviceId);
        if (!device || device.revoked) {
          detector.forget(t.deviceId);
          continue;
        }
        if (!this.enabled.get(kind)) continue;
        const raised = this.tracker.raise(
          report(device, 'offline', now, t.reason, { lastSeenAt: new Date(t.lastSeenAt).toISOString(), timeoutMs: t.timeoutMs, learnedIntervalMs: detector.learnedIntervalMs(t.deviceId) }),
        );
        if (raised) this.onTransition(t.deviceId, false);
      }
    }
  }

  private back(t: OfflineTransition): void {
    if (this.tracker.clear(t.deviceId, 'offline', t.at, t.reason)) this.onTransition(t.deviceId, true);
  }
}
