import { OPEN_JOB_STATUSES, type Crew, type Job, type JobAssignee, type Paged, type Vehicle } from '@sanitation/contracts';
import { api } from '../../api/http';
import { jobs } from '../../state/dispatch.stores';

const PAGE = 500;
/** Enough for a city's open work; more than this and the queue is the wrong tool anyway. */
const MAX_PAGES = 20;

/** Loads every job matching `query` page by page (open statuses by default) and upserts them into the store. */
export async function loadJobs(query: Record<string, string | undefined> = {}, signal?: AbortSignal): Promise<Job[]> {
  const all: Job[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await api.get<Paged<Job>>(
      '/jobs',
      { status: OPEN_JOB_STATUSES.join(','), ...query, limit: PAGE, offset: page * PAGE },
      signal,
    );
    all.push(...res.items);
    if (res.items.length < PAGE || all.length >= res.total) break;
  }
  jobs.upsert(all);
  return all;
}

export async function loadJob(jobId: string): Promise<Job> {
  const job = await api.get<Job>(`/jobs/${encodeURIComponent(jobId)}`);
  jobs.upsert([job]);
  return job;
}

async function action(jobId: string, path: string, body: unknown): Promise<Job> {
  const job = await api.post<Job>(`/jobs/${encodeURIComponent(jobId)}/${path}`, body);
  jobs.upsert([job]);
  return job;
}

export const acceptProposal = (jobId: string) => action(jobId, 'assign', {});
export const assignTo = (jobId: string, unit: JobAssignee) => action(jobId, 'assign', unit);
export const cancelJob = (jobId: string, note: string) => action(jobId, 'cancel', { note });

export async function loadUnits(): Promise<{ vehicles: Vehicle[]; crews: Crew[] }> {
  const [vehicles, crews] = await Promise.all([api.get<Vehicle[]>('/vehicles'), api.get<Crew[]>('/crews')]);
  return { vehicles, crews };
}
