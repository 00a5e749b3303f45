import type { AcceptedReading, Cause, DeviceKind, RuleParams } from '@sanitation/contracts';
import type { ConditionReport } from '../alarms/incident-sink.js';
import type { DeviceInfo } from '../devices/device-directory.js';
import type { ConditionTracker } from './condition-tracker.js';
import type { DeviceState } from './device-state.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

/** Everything a kind's evaluator needs for one fresh (not duplicate, not stale) reading. */
export interface ReadingContext<K extends DeviceKind = DeviceKind> {
  device: DeviceInfo;
  reading: AcceptedReading;
  state: DeviceState;
  params: RuleParams<K>;
  tracker: ConditionTracker;
}

export function report(
  device: DeviceInfo,
  cause: Cause,
  at: number,
  message: string,
  details: Record<string, unknown> = {},
  dueBy?: number,
): ConditionReport {
  return {
    subjectId: device.deviceId,
    deviceKind: device.kind,
    cause,
    at,
    lat: device.lat,
    lon: device.lon,
    zone: device.zone,
    message,
    details,
    ...(dueBy !== undefined && Number.isFinite(dueBy) ? { dueBy } : {}),
  };
}

/** Raises while `on`, clears when `off`; in between (the hysteresis band) nothing changes. */
export function hysteresis(tracker: ConditionTracker, on: boolean, off: boolean, raise: () => ConditionReport, subjectId: string, cause: Cause, at: number, reason: string): boolean {
  if (on) return tracker.raise(raise());
  if (off) tracker.clear(subjectId, cause, at, reason);
  return false;
}

export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const round1 = (n: number): number => Math.round(n * 10) / 10;
