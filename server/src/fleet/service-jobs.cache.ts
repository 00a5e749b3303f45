import { Inject, Injectable } from '@nestjs/common';
import { OPEN_JOB_STATUSES, type Job, type JobType, type LatLon } from '@sanitation/contracts';
import { FLEET_JOBS, type FleetJobs } from './fleet-jobs.port.js';
import { withinM } from '../common/geo.js';

/** Job types whose proof comes from a truck's stop. */
export const SERVICE_JOB_TYPES: JobType[] = ['collection', 'pumping'];
/** Wall ms: beyond this age the cache is reloaded before a stop is matched (jobs opened by another instance). */
const MAX_AGE_MS = 5_000;

/**
 * Open collection and pumping jobs, for matching a truck's stop to the job at that place without a
 * query per stop. Kept current by job events; reloaded when older than a few seconds. Staleness is
 * measured on the process's monotonic clock: it is about cache freshness, not domain time.
 */
@Injectable()
export class ServiceJobsCache {
  private byId = new Map<string, Job>();
  private loadedAt = -Infinity;

  constructor(@Inject(FLEET_JOBS) private readonly jobs: FleetJobs) {}

  apply(job: Job): void {
    if (SERVICE_JOB_TYPES.includes(job.type) && OPEN_JOB_STATUSES.includes(job.status)) this.byId.set(job.jobId, job);
    else this.byId.delete(job.jobId);
  }

  async fresh(): Promise<Job[]> {
    if (performance.now() - this.loadedAt > MAX_AGE_MS) {
      const open = await this.jobs.listOpen({ types: SERVICE_JOB_TYPES });
      this.byId = new Map(open.map((j) => [j.jobId, j]));
      this.loadedAt = performance.now();
    }
    return [...this.byId.values()];
  }

  /** Open jobs of `type` whose location is within `radiusM` of `at`. */
  async near(type: JobType, at: LatLon, radiusM: number): Promise<Job[]> {
    return (await this.fresh()).filter((j) => j.type === type && withinM(j, at, radiusM));
  }

  async openAt(type: JobType, subjectId: string): Promise<Job | null> {
    return (await this.fresh()).find((j) => j.type === type && j.deviceId === subjectId) ?? null;
  }
}
