import { JOB_SKILL, OPEN_JOB_STATUSES, type Crew, type DeviceKind, type Job, type JobStatus, type Vehicle } from '@sanitation/contracts';

/** The queue's filters; '' = any. `status: ''` means every open status (the default view). */
export interface JobFilters {
  kind: DeviceKind | '';
  zone: string;
  status: JobStatus | '';
  priority: '' | '1' | '2' | '3' | '4';
}

export const NO_FILTERS: JobFilters = { kind: '', zone: '', status: '', priority: '' };

/** A job closed this long ago still shows (dimmed) in the default view, so the dispatcher sees it finish. */
export const RECENTLY_CLOSED_MS = 10 * 60_000;

export const isOpen = (job: Job): boolean => OPEN_JOB_STATUSES.includes(job.status);

/** Overdue: the server flagged it, or it is still open past its due time. */
export function isOverdue(job: Job, now: number): boolean {
  if (!isOpen(job)) return false;
  return job.flags.includes('overdue') || Date.parse(job.dueAt) < now;
}

export function matchesFilters(job: Job, f: JobFilters, now: number): boolean {
  if (f.kind && job.deviceKind !== f.kind) return false;
  if (f.zone && job.zone !== f.zone) return false;
  if (f.priority && job.priority !== Number(f.priority)) return false;
  if (f.status) return job.status === f.status;
  if (isOpen(job)) return true;
  // Default view: keep jobs that just closed (by their last update, server time).
  return now - Date.parse(job.updatedAt) <= RECENTLY_CLOSED_MS;
}

/** Open before closed; overdue first; then priority (1 most urgent); then earliest due; then id for stability. */
export function compareJobs(a: Job, b: Job, now: number): number {
  return (
    Number(!isOpen(a)) - Number(!isOpen(b)) ||
    Number(isOverdue(b, now)) - Number(isOverdue(a, now)) ||
    a.priority - b.priority ||
    Date.parse(a.dueAt) - Date.parse(b.dueAt) ||
    a.jobId.localeCompare(b.jobId)
  );
}

export function visibleJobs(all: Iterable<Job>, f: JobFilters, now: number): Job[] {
  return [...all].filter((j) => matchesFilters(j, f, now)).sort((a, b) => compareJobs(a, b, now));
}

/** Zones to offer in the zone filter: those the known jobs are in. */
export function zonesOf(all: Iterable<Job>): string[] {
  const zones = new Set<string>();
  for (const j of all) if (j.zone) zones.add(j.zone);
  return [...zones].sort();
}

export interface UnitOption {
  /** `vehicle:<id>` / `crew:<id>` (the select's value). */
  value: string;
  unitType: 'vehicle' | 'crew';
  unitId: string;
  name: string;
  activeJobs: number;
}

/** Vehicles and crews that have the skill the job's type needs, least busy first. */
export function unitsFor(job: Pick<Job, 'type'>, vehicles: readonly Vehicle[], crews: readonly Crew[]): UnitOption[] {
  const skill = JOB_SKILL[job.type];
  const options: UnitOption[] = [
    ...vehicles
      .filter((v) => v.skill === skill)
      .map((v) => ({ value: `vehicle:${v.vehicleId}`, unitType: 'vehicle' as const, unitId: v.vehicleId, name: v.name, activeJobs: v.activeJobs })),
    ...crews
      .filter((c) => c.skill === skill)
      .map((c) => ({ value: `crew:${c.crewId}`, unitType: 'crew' as const, unitId: c.crewId, name: c.name, activeJobs: c.activeJobs })),
  ];
  return options.sort((a, b) => a.activeJobs - b.activeJobs || a.name.localeCompare(b.name));
}

export function parseUnitValue(value: string): { unitType: 'vehicle' | 'crew'; unitId: string } | null {
  const m = /^(vehicle|crew):(.+)$/.exec(value);
  return m ? { unitType: m[1] as 'vehicle' | 'crew', unitId: m[2]! } : null;
}

/** Travel estimate for display, e.g. `7 min · 2.3 km`. */
export function formatTravel(travelS: number, distanceM: number): string {
  const min = Math.max(1, Math.round(travelS / 60));
  const dist = distanceM >= 1000 ? `${(distanceM / 1000).toFixed(1)} km` : `${Math.round(distanceM)} m`;
  return `${min} min · ${dist}`;
}

/** Can the job still be (re)assigned or cancelled? */
export const canAssign = (job: Job): boolean => job.status === 'open' || job.status === 'assigned';
export const canCancel = (job: Job): boolean => isOpen(job);
