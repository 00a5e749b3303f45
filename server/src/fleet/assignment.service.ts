import { Inject, Injectable } from '@nestjs/common';
import { JOB_SKILL, JOB_TYPES, type AssignmentCandidate, type AssignmentProposal, type AutoAssignSettings, type AutoAssignUpdate, type Job } from '@sanitation/contracts';
import { CLOCK, type Clock } from '../clock/clock.js';
import { SERVER_CONFIG, type ServerConfig } from '../config/server.config.js';
import { utcOffsetMs } from '../rules/streetlight/local-clock.js';
import { SerialQueue } from '../common/serial-queue.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { FleetLiveStore } from './fleet-live.store.js';
import { FLEET_JOBS, SYSTEM, type FleetJobs } from './fleet-jobs.port.js';
import { countActiveJobs, FleetUnitsService, unitKey, type ActiveJobCounts } from './fleet-units.service.js';
import { FLEET_DEFAULTS } from './fleet.defaults.js';
import { FleetException, FleetExceptionCode } from './fleet.exception.js';
import { FleetRepository } from './fleet.repository.js';
import { rankUnits, shouldReplaceProposal, type RankedCandidate, type RankingOptions } from './ranking.js';

/** Ranking settings; the UTC offset is filled in per call from the city's time zone (DST-safe). */
export const RANKING_OPTIONS: Omit<RankingOptions, 'utcOffsetMin'> = {
  roadDetour: FLEET_DEFAULTS.ROAD_DETOUR,
  vehicleKmh: FLEET_DEFAULTS.VEHICLE_KMH,
  crewKmh: FLEET_DEFAULTS.CREW_KMH,
};

const proposalOf = (c: RankedCandidate): AssignmentProposal => ({
  unitType: c.unitType,
  unitId: c.unitId,
  name: c.name,
  travelS: c.travelS,
  distanceM: c.distanceM,
});

/**
 * Proposes the best unit for open, unassigned jobs (skill, shift, capacity, travel estimate from the
 * live position) and, when auto-assign is on for the skill, assigns it as `system`. Work is
 * serialised (one chain), so a job event and the periodic task never propose the same job twice
 * at once; the jobs engine's one-open-job rule and status checks guard the rest.
 */
@Injectable()
export class AssignmentService {
  private readonly queue: SerialQueue;
  private lastRankedVersion = -1;
  /** Open jobs per unit as of the last periodic run, plus what was assigned since (new jobs need no query). */
  private active: ActiveJobCounts = new Map();
  private readonly logger: Logger;

  constructor(
    private readonly units: FleetUnitsService,
    private readonly repository: FleetRepository,
    private readonly live: FleetLiveStore,
    @Inject(FLEET_JOBS) private readonly jobs: FleetJobs,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'fleet-assignment' });
    this.queue = new SerialQueue((err) => this.logger.error({ err }, 'assignment work failed'));
  }

  /** A job changed: a new open job without a proposal gets one. */
  onJob(job: Job): Promise<void> {
    if (job.status !== 'open' || job.assignee || job.proposal) return Promise.resolve();
    return this.queue.run(async () => {
      const fresh = await this.jobs.get(job.jobId);
      if (!fresh || fresh.status !== 'open' || fresh.assignee || fresh.proposal) return;
      await this.propose(fresh, this.active, await this.repository.getAutoAssign());
    });
  }

  /** Periodic: re-rank open unassigned jobs when positions changed, or a job lacks a proposal, or its skill is auto-assigned. */
  runPeriodic(): Promise<void> {
    return this.queue.run(async () => {
      await this.units.refresh();
      const open = await this.jobs.listOpen();
      this.active = countActiveJobs(open);
      const waiting = open.filter((j) => j.status === 'open' && !j.assignee);
      const moved = this.live.positionsVersion !== this.lastRankedVersion;
      this.lastRankedVersion = this.live.positionsVersion;
      const auto = await this.repository.getAutoAssign();
      // Unchanged positions: only jobs without a proposal, or whose skill is (now) auto-assigned.
      const todo = moved ? waiting : waiting.filter((j) => !j.proposal || auto[JOB_SKILL[j.type]]);
      if (!todo.length) return;
      // Most urgent first, so when units run short the urgent work gets them.
      todo.sort((a, b) => a.priority - b.priority || a.dueAt.localeCompare(b.dueAt));
      for (const job of todo) await this.propose(job, this.active, auto);
    });
  }

  /** The ranked candidates for a job (top 5), for a dispatcher choosing another unit. */
  async candidates(jobId: string): Promise<AssignmentCandidate[]> {
    const job = await this.jobs.get(jobId);
    if (!job) throw new FleetException(FleetExceptionCode.JOB_NOT_FOUND, `jobId: job "${jobId}" not found`);
    const active = countActiveJobs(await this.jobs.listOpen());
    return this.rank(job, active).slice(0, FLEET_DEFAULTS.TOP_CANDIDATES);
  }

  getAutoAssign(): Promise<AutoAssignSettings> {
    return this.repository.getAutoAssign();
  }

  setAutoAssign(update: AutoAssignUpdate, by: string): Promise<AutoAssignSettings> {
    return this.repository.setAutoAssign(update, by, this.clock.now());
  }

  private rank(job: Job, active: ActiveJobCounts): RankedCandidate[] {
    const now = this.clock.now();
    // Shifts are HH:MM in the city's local time, the same zone the streetlight rules use.
    const utcOffsetMin = utcOffsetMs({ timeZone: this.config.CITY_TIME_ZONE }, now) / 60_000;
    return rankUnits(job, this.units.unitsForRanking(active), now, { ...RANKING_OPTIONS, utcOffsetMin });
  }

  private async propose(job: Job, active: ActiveJobCounts, auto: AutoAssignSettings): Promise<void> {
    if (!(JOB_TYPES as readonly string[]).includes(job.type)) return;
    const ranked = this.rank(job, active);
    const best = ranked[0];
    try {
      const replace = shouldReplaceProposal(job.proposal, ranked, FLEET_DEFAULTS.REPROPOSE_MIN_GAIN_S);
      if (replace) await this.jobs.setProposal(job.jobId, best ? proposalOf(best) : null);
      // Not replaced: the standing proposal's unit is still a candidate, and it is the one shown.
      const chosen = replace ? best : ranked.find((c) => c.unitType === job.proposal?.unitType && c.unitId === job.proposal.unitId);
      if (chosen && auto[JOB_SKILL[job.type]]) {
        await this.jobs.assign(job.jobId, { unitType: chosen.unitType, unitId: chosen.unitId }, SYSTEM, `auto-assigned: ${chosen.name}, ~${Math.round(chosen.travelS / 60)} min away`);
        const key = unitKey(chosen.unitType, chosen.unitId);
        active.set(key, (active.get(key) ?? 0) + 1);
      }
    } catch (err) {
      // The job may have been assigned, cancelled or closed meanwhile: that is not an error of ours.
      this.logger.warn({ err, jobId: job.jobId }, 'could not propose/assign');
    }
  }

}
