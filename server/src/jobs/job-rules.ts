import { OPEN_JOB_STATUSES, type JobProof, type JobStatus, type JobType } from '@sanitation/contracts';

/** Jobs defaults, with units. */
export const JOBS_DEFAULTS = {
  /** Wall-clock ms between SLA (overdue) checks. */
  slaCheckEveryMs: 1_000,
} as const;

export const SLA_TASK = 'jobs-sla';

export const FLAG_OVERDUE = 'overdue';
export const FLAG_UNPROVEN = 'unproven';

export type WorkStatus = 'en_route' | 'on_site' | 'done';

/** The field progress of a job after assignment; a unit moves forward only (it may skip a step it forgot to tap). */
const ORDER: Record<JobStatus, number> = { open: 0, assigned: 1, en_route: 2, on_site: 3, done: 4, cancelled: 5 };

export function isOpenStatus(status: JobStatus): boolean {
  return OPEN_JOB_STATUSES.includes(status);
}

/**
 * Why `from → to` is illegal, or null when allowed. Work transitions need an assigned job and
 * move forward only; a closed (done/cancelled) job never moves again.
 */
export function illegalWorkTransition(from: JobStatus, to: WorkStatus): string | null {
  if (!isOpenStatus(from)) return `the job is ${from}`;
  if (from === 'open') return 'assign it first';
  if (ORDER[to] <= ORDER[from]) return 'jobs move forward only';
  return null;
}

/**
 * Reassignment is allowed until the unit is on site. A hand-over (the unit broke down and was
 * withdrawn) may also take a job from a unit on site: that unit can no longer finish it.
 */
export function illegalAssignment(from: JobStatus, handOver = false): string | null {
  if (from === 'open' || from === 'assigned' || from === 'en_route') return null;
  if (from === 'on_site' && handOver) return null;
  return from === 'on_site' ? 'the unit is already on site' : `the job is ${from}`;
}

/**
 * What a "done" claim lacks to count as proven. Collection: the truck stopped in the geofence and
 * the level then dropped. Pumping additionally needs the load delivered to a disposal site.
 * Other job types need no proof.
 */
export function missingProof(type: JobType, proof: JobProof | null): string[] {
  if (type !== 'collection' && type !== 'pumping') return [];
  const missing: string[] = [];
  if (!proof?.stopAt) missing.push('stopAt (no stop inside the geofence)');
  if (proof?.levelAfter === undefined || proof.levelAfter === null) missing.push('levelAfter (no level reading after the stop)');
  else if (proof.levelBefore !== undefined && proof.levelBefore !== null && proof.levelAfter >= proof.levelBefore) {
    missing.push(`level did not drop (${proof.levelBefore} → ${proof.levelAfter})`);
  }
  if (type === 'pumping' && !proof?.disposedAt) missing.push('disposedAt (no unloading at a disposal site)');
  return missing;
}
