import type { Job, JobStatus } from '@sanitation/contracts';

/** A collection job the server assigned to a truck, as the truck's driver works through it. */
export interface AssignedStop {
  jobId: string;
  /** The bin to empty. */
  deviceId: string;
  status: JobStatus;
  /** Published route plan: the stop's place along the truck's route (ascending); null = not planned. */
  planId: string | null;
  seq: number | null;
  /** Epoch ms. */
  dueAt: number;
}

/** Where a truck's assigned work comes from: the server's jobs (over HTTP), or a fake in tests. */
export interface TruckJobSource {
  /** The truck's open collection jobs in the order it should serve them (empty: it chooses itself). */
  stopsFor(truckId: string): readonly AssignedStop[];
  /** Every bin some truck has a job for: a truck choosing on its own leaves those alone. */
  isAssigned(binId: string): boolean;
  /** The truck sets off to the job's bin (`en_route`) or reaches it (`on_site`); sim time `t`. */
  onProgress(truckId: string, jobId: string, status: 'en_route' | 'on_site', t: number): void;
}

const WORK_STATUSES: readonly JobStatus[] = ['assigned', 'en_route', 'on_site'];

/** `job.details.routePlan` as the plans module writes it at publish ({ planId, vehicleId, seq, plannedAt }). */
function routePlanOf(job: Job): { planId: string; seq: number } | null {
  const rp = job.details?.['routePlan'];
  if (!rp || typeof rp !== 'object') return null;
  const { planId, seq } = rp as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isFinite(seq)) return null;
  return { planId: typeof planId === 'string' ? planId : '', seq };
}

/**
 * A truck's jobs in serving order: jobs of a published route by their place on it (`seq`), then
 * jobs without a route by due time. Jobs already under way come first (the truck is on its way).
 */
export function orderStops(jobs: readonly Job[]): AssignedStop[] {
  const stops = jobs
    .filter((j) => j.type === 'collection' && WORK_STATUSES.includes(j.status))
    .map((j): AssignedStop => {
      const rp = routePlanOf(j);
      return { jobId: j.jobId, deviceId: j.deviceId, status: j.status, planId: rp?.planId ?? null, seq: rp?.seq ?? null, dueAt: Date.parse(j.dueAt) };
    });
  const underWay = (s: AssignedStop) => (s.status === 'assigned' ? 1 : 0);
  return stops.sort(
    (a, b) =>
      underWay(a) - underWay(b) ||
      (a.seq === null ? 1 : 0) - (b.seq === null ? 1 : 0) ||
      (a.seq ?? 0) - (b.seq ?? 0) ||
      (Number.isFinite(a.dueAt) ? a.dueAt : Infinity) - (Number.isFinite(b.dueAt) ? b.dueAt : Infinity) ||
      a.jobId.localeCompare(b.jobId),
  );
}

/** A fixed list per truck (tests, or a replay): what `stopsFor` returns and what the trucks reported. */
export class StaticJobSource implements TruckJobSource {
  readonly progress: { truckId: string; jobId: string; status: 'en_route' | 'on_site'; t: number }[] = [];

  constructor(private readonly stops: Map<string, AssignedStop[]>) {}

  set(truckId: string, stops: AssignedStop[]): void {
    this.stops.set(truckId, stops);
  }

  stopsFor(truckId: string): readonly AssignedStop[] {
    return this.stops.get(truckId) ?? [];
  }

  isAssigned(binId: string): boolean {
    for (const list of this.stops.values()) if (list.some((s) => s.deviceId === binId)) return true;
    return false;
  }

  onProgress(truckId: string, jobId: string, status: 'en_route' | 'on_site', t: number): void {
    this.progress.push({ truckId, jobId, status, t });
  }
}
