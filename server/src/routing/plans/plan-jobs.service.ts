import { Inject, Injectable } from '@nestjs/common';
import type { Job, JobStatus, RoutePlan } from '@sanitation/contracts';
import { DeviceDirectory } from '../../devices/device-directory.js';
import { JobsService } from '../../jobs/jobs.service.js';
import { LOGGER, type Logger } from '../../logging/logger.js';

const DONE: readonly JobStatus[] = ['done', 'cancelled'];
const UNDER_WAY: readonly JobStatus[] = ['en_route', 'on_site'];

/**
 * The plan's side of the jobs: each collect stop's job is found (the bin's open collection job) or
 * opened, assigned to the stop's truck and stamped `details.routePlan = { planId, vehicleId, seq,
 * plannedAt }`, in route order. A job the fleet auto-assigned to another truck is re-assigned:
 * the published plan wins.
 */
@Injectable()
export class PlanJobsService {
  private readonly logger: Logger;

  constructor(
    private readonly jobs: JobsService,
    private readonly directory: DeviceDirectory,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'routing-plan-jobs' });
  }

  /** Job status per collect stop with a job (for re-plans: what is done, what is under way). */
  async statuses(plan: RoutePlan): Promise<Map<string, JobStatus>> {
    const out = new Map<string, JobStatus>();
    for (const route of plan.routes) {
      for (const stop of route.stops) {
        if (stop.kind !== 'collect' || !stop.jobId) continue;
        const job = await this.jobs.get(stop.jobId);
        if (job) out.set(stop.stopId, job.status);
      }
    }
    return out;
  }

  static isDone(status: JobStatus | undefined, progress: string): boolean {
    return (status !== undefined && DONE.includes(status)) || progress === 'done' || progress === 'skipped';
  }

  static isUnderWay(status: JobStatus | undefined, progress: string): boolean {
    return (status !== undefined && UNDER_WAY.includes(status)) || progress === 'en_route' || progress === 'on_site';
  }

  /** Creates/assigns/stamps the jobs of every collect stop not done, in route order; sets `stop.jobId`. */
  async sync(plan: RoutePlan, by: string, why: string): Promise<void> {
    // A withdrawn truck's jobs are handed over, even one it was on site for.
    const withdrawn = new Set(plan.routes.filter((r) => r.progress?.withdrawn).map((r) => r.vehicleId));
    for (const route of plan.routes) {
      if (route.progress?.withdrawn) continue;
      let seq = 0;
      for (const stop of route.stops) {
        if (stop.kind !== 'collect' || !stop.deviceId) continue;
        seq++;
        let job: Job | null = stop.jobId ? await this.jobs.get(stop.jobId) : null;
        if (job && DONE.includes(job.status)) continue;
        job ??= await this.openJob(stop.deviceId, stop.lat, stop.lon, stop.predictedPct, plan);
        stop.jobId = job.jobId;
        try {
          if (job.assignee?.unitType !== 'vehicle' || job.assignee.unitId !== route.vehicleId || job.status === 'open') {
            const handOver = job.assignee?.unitType === 'vehicle' && withdrawn.has(job.assignee.unitId);
            job = await this.jobs.assign(job.jobId, { unitType: 'vehicle', unitId: route.vehicleId }, by, `${why}: route plan ${plan.planId}, stop ${seq} of ${route.vehicleName}`, handOver);
          }
          await this.jobs.mergeDetails(job.jobId, { routePlan: { planId: plan.planId, vehicleId: route.vehicleId, seq, plannedAt: stop.serviceAt } });
        } catch (err) {
          // On site with another truck already: that truck finishes it; the plan still lists it here.
          this.logger.warn({ err, jobId: job.jobId, planId: plan.planId }, 'could not assign a planned job');
        }
      }
    }
  }

  private async openJob(deviceId: string, lat: number, lon: number, pct: number | null, plan: RoutePlan): Promise<Job> {
    const device = this.directory.get(deviceId);
    const septic = device?.kind === 'septic';
    const [open] = await this.jobs.findOpen(deviceId, septic ? 'pumping' : 'collection');
    if (open) return open;
    return this.jobs.openIfNone({
      type: septic ? 'pumping' : 'collection',
      cause: septic ? 'septic-forecast-full' : 'bin-forecast-full',
      subjectId: deviceId,
      deviceKind: device?.kind ?? 'bin',
      zone: device?.zone ?? plan.zone,
      lat,
      lon,
      priority: 3,
      message: `planned ${septic ? 'pumping' : 'collection'} (route plan ${plan.planId}${pct === null ? '' : `, predicted ${pct} %`})`,
      details: {},
      dueAt: Date.parse(plan.params.nextRoundAt),
      unsafe: false,
      alarmId: null,
    });
  }
}
