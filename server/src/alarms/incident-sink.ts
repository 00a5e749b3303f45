import type { Cause, DeviceKind } from '@sanitation/contracts';

/**
 * How the rules engine reports what it found. The dispatch side (alarms + jobs) implements it:
 * `raise` opens the cause's alarm and/or job once per (subject, cause) — calling it again while
 * they are open changes nothing — and `clear` resolves the alarm by rule. Both are idempotent, so
 * replayed readings (QoS 1 redelivery, a server restart) never create duplicates.
 */
export interface ConditionReport {
  /** Device id, or `cabinet:<id>` for a cabinet fault. */
  subjectId: string;
  deviceKind: DeviceKind | null;
  cause: Cause;
  /** When the condition was observed: the reading's `ts`, or the clock for scheduled checks (epoch ms). */
  at: number;
  lat: number;
  lon: number;
  zone: string | null;
  /** One line a dispatcher reads, e.g. "fill 86 % ≥ 80 %". */
  message: string;
  details?: Record<string, unknown>;
  /** The job must be done by then (a forecast's predicted overflow minus margin); default: the cause's service level. */
  dueBy?: number;
}

export interface IncidentSink {
  raise(report: ConditionReport): Promise<void>;
  clear(subjectId: string, cause: Cause, at: number, reason: string): Promise<void>;
  /** Gas at a site: flag every open job there unsafe (true) or safe again (false). */
  setUnsafe(subjectId: string, unsafe: boolean, at: number, reason: string): Promise<void>;
}

/** Nest injection token; provided and exported by AlarmsModule. */
export const INCIDENT_SINK = Symbol('INCIDENT_SINK');
