import type { Crew, Job, JobAssignee, JobStatus, Vehicle } from '@sanitation/contracts';

/** What a crew member can tap next. */
export type WorkStatus = 'en_route' | 'on_site' | 'done';

/** The statuses a crew's list shows: assigned and in progress (done/cancelled jobs drop off). */
export const CREW_VISIBLE_STATUSES: readonly JobStatus[] = ['assigned', 'en_route', 'on_site'];

const WORK_ORDER: Record<JobStatus, number> = { open: 0, assigned: 1, en_route: 2, on_site: 3, done: 4, cancelled: 5 };
const WORK_STATUSES: readonly WorkStatus[] = ['en_route', 'on_site', 'done'];

/**
 * The buttons to show, mirroring the server's rule (server/src/jobs/job-rules.ts): only an
 * assigned job moves, forward only, and a step may be skipped (a crew forgot to tap "en route").
 */
export function allowedTransitions(status: JobStatus): WorkStatus[] {
  if (status === 'open' || status === 'done' || status === 'cancelled') return [];
  return WORK_STATUSES.filter((s) => WORK_ORDER[s] > WORK_ORDER[status]);
}

/** 0 = work under way (on site before en route), 1 = waiting to start. */
function stage(status: JobStatus): number {
  if (status === 'on_site') return 0;
  if (status === 'en_route') return 1;
  return 2;
}

/** A published route plan's place for the job (`details.routePlan`, set by the route planner at publish); null when not planned. */
export function routePlanOf(job: Pick<Job, 'details'>): { planId: string; seq: number } | null {
  const rp = job.details?.['routePlan'] as { planId?: unknown; seq?: unknown } | undefined;
  return rp && typeof rp.planId === 'string' && typeof rp.seq === 'number' ? { planId: rp.planId, seq: rp.seq } : null;
}

/** Planned jobs in their route's order (before unplanned ones), so a truck crew works down its round. */
function compareRoutePlan(a: Job, b: Job): number {
  const pa = routePlanOf(a);
  const pb = routePlanOf(b);
  if (!pa || !pb) return (pa ? 0 : 1) - (pb ? 0 : 1);
  return (pa.planId < pb.planId ? -1 : pa.planId > pb.planId ? 1 : 0) || pa.seq - pb.seq;
}

/** In progress first, then a route plan's order, then most urgent (priority 1), then earliest due; ties by id for a stable list. */
export function compareCrewJobs(a: Job, b: Job): number {
  return (
    stage(a.status) - stage(b.status) ||
    compareRoutePlan(a, b) ||
    a.priority - b.priority ||
    Date.parse(a.dueAt) - Date.parse(b.dueAt) ||
    (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0)
  );
}

/** `crew:<id>` / `vehicle:<id>`: a unit key (crew and vehicle ids may coincide). */
export const unitKey = (a: Pick<JobAssignee, 'unitType' | 'unitId'>): string => `${a.unitType}:${a.unitId}`;

/**
 * The units this operator works in: crews whose members include them and trucks they ride
 * (GET /api/crews and /api/vehicles list members), as the server decides for crew accounts.
 */
export function unitKeysOf(crews: readonly Pick<Crew, 'crewId' | 'members'>[], vehicles: readonly Pick<Vehicle, 'vehicleId' | 'members'>[], username: string): Set<string> {
  const keys = new Set<string>();
  for (const c of crews) if (c.members.includes(username)) keys.add(unitKey({ unitType: 'crew', unitId: c.crewId }));
  for (const v of vehicles) if ((v.members ?? []).includes(username)) keys.add(unitKey({ unitType: 'vehicle', unitId: v.vehicleId }));
  return keys;
}

/**
 * The operator's list from everything the job store holds: only jobs assigned to one of their
 * units (the socket sends a job once more when it stops being theirs, with its new assignee),
 * and only the statuses a crew still works on.
 */
export function crewJobList(all: Iterable<Job>, unitKeys: ReadonlySet<string>): Job[] {
  const mine: Job[] = [];
  for (const job of all) {
    if (!job.assignee || !unitKeys.has(unitKey(job.assignee))) continue;
    if (!CREW_VISIBLE_STATUSES.includes(job.status)) continue;
    mine.push(job);
  }
  return mine.sort(compareCrewJobs);
}

/** A `geo:` URI: phones open it in their map app, and it sends nothing to any host by itself. */
export function geoUri(lat: number, lon: number, label?: string): string {
  const ll = `${round6(lat)},${round6(lon)}`;
  return label ? `geo:${ll}?q=${ll}(${encodeURIComponent(label)})` : `geo:${ll}`;
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** One reading value for display: numbers to at most 2 decimals, booleans and strings as they are. */
export function formatReading(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The asset's readings as label/value rows, keys sorted, nested objects skipped beyond one line. */
export function readingRows(values: Record<string, unknown> | null | undefined): { key: string; value: string }[] {
  if (!values) return [];
  return Object.keys(values)
    .sort()
    .map((key) => ({ key, value: formatReading(values[key]) }));
}
