import type { Cause, JobType, Priority, Severity } from '@sanitation/contracts';

/**
 * What the dispatch side does with each cause a rule reports: whether it is an alarm (something is
 * wrong, someone must look) and/or a job (someone must go and do work), how urgent, and by when.
 * A full bin is work, not an alarm; a gas leak is an alarm, not work (it makes work unsafe).
 */
export interface CauseJobPolicy {
  type: JobType;
  /** 1 = most urgent. */
  priority: Priority;
  /** Service level: the job is due this many minutes after the condition was observed (unless the report gives dueBy). */
  slaMinutes: number;
}

export interface CausePolicy {
  /** null = no alarm for this cause. */
  severity: Severity | null;
  /** null = no job for this cause. */
  job: CauseJobPolicy | null;
  /** While this alarm is open, every open job at the subject is flagged unsafe (gas). */
  flagsUnsafe?: boolean;
}

const HOUR = 60; // minutes

export const CAUSE_POLICY = {
  // bins
  'bin-full': { severity: null, job: { type: 'collection', priority: 3, slaMinutes: 4 * HOUR } },
  'bin-forecast-full': { severity: null, job: { type: 'collection', priority: 3, slaMinutes: 4 * HOUR } },
  'bin-fire': { severity: 'critical', job: { type: 'fire-response', priority: 1, slaMinutes: 30 } },
  'bin-tilt': { severity: 'minor', job: { type: 'maintenance', priority: 3, slaMinutes: 8 * HOUR } },
  'bin-battery-low': { severity: null, job: { type: 'maintenance', priority: 4, slaMinutes: 72 * HOUR } },
  // toilets
  'toilet-odour': { severity: null, job: { type: 'cleaning', priority: 2, slaMinutes: 60 } },
  'toilet-visits': { severity: null, job: { type: 'cleaning', priority: 2, slaMinutes: 60 } },
  'toilet-consumables': { severity: null, job: { type: 'restock', priority: 3, slaMinutes: 4 * HOUR } },
  'toilet-leak': { severity: 'major', job: { type: 'toilet-repair', priority: 1, slaMinutes: 60 } },
  // septic tanks
  'septic-full': { severity: null, job: { type: 'pumping', priority: 2, slaMinutes: 24 * HOUR } },
  'septic-forecast-full': { severity: null, job: { type: 'pumping', priority: 2, slaMinutes: 24 * HOUR } },
  'septic-gas': { severity: 'critical', job: null, flagsUnsafe: true },
  // streetlights
  'lamp-failure': { severity: 'minor', job: { type: 'lamp-repair', priority: 3, slaMinutes: 24 * HOUR } },
  'day-burning': { severity: 'warning', job: { type: 'lamp-repair', priority: 3, slaMinutes: 24 * HOUR } },
  cycling: { severity: 'warning', job: { type: 'lamp-repair', priority: 3, slaMinutes: 24 * HOUR } },
  'power-anomaly': { severity: 'minor', job: { type: 'lamp-repair', priority: 3, slaMinutes: 24 * HOUR } },
  'cabinet-fault': { severity: 'major', job: { type: 'cabinet-repair', priority: 2, slaMinutes: 4 * HOUR } },
  // every kind
  offline: { severity: 'minor', job: null },
  // vehicles
  'custody-breach': { severity: 'critical', job: null },
  'off-route': { severity: 'warning', job: null },
} as const satisfies Record<Cause, CausePolicy>;

export function causePolicy(cause: Cause): CausePolicy {
  return CAUSE_POLICY[cause];
}

/**
 * One step up when an alarm stays unacknowledged past its severity's time — once: a lamp failure
 * nobody acknowledged is more urgent than a fresh one, but it is not a fire. Afterwards the alarm
 * is only reminded, every `remindEveryMin`.
 */
export const ESCALATES_TO: Record<Severity, Severity> = {
  warning: 'minor',
  minor: 'major',
  major: 'critical',
  critical: 'critical',
};

/** Most severe first (list order). */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

/** Dispatch defaults, with units. */
export const DISPATCH_DEFAULTS = {
  /**
   * Minutes an alarm may stay unacknowledged at its opening severity before it is escalated (one
   * step up, once). Measured from the opening.
   */
  escalateAfterMin: { critical: 5, major: 15, minor: 60, warning: 240 } satisfies Record<Severity, number>,
  /** Minutes between reminders once an alarm has been escalated (and is still unacknowledged). */
  remindEveryMin: 30,
  /** Wall-clock ms between escalation checks ('alarms-escalation'). */
  escalationCheckEveryMs: 1_000,
} as const;

export const ESCALATION_TASK = 'alarms-escalation';
