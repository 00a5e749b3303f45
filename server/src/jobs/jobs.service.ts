import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { AssignmentProposal, Job, JobAssignee, JobProof, JobType, ListJobsQuery, Paged } from '@sanitation/contracts';
import { CLOCK, type Clock } from '../clock/clock.js';
import type { Queryable } from '../database/database.js';
import { DomainEvents } from '../events/domain-events.js';
import { TaskRegistry } from '../scheduler/task.registry.js';
import {
  FLAG_OVERDUE,
  FLAG_UNPROVEN,
  JOBS_DEFAULTS,
  SLA_TASK,
  illegalAssignment,
  illegalWorkTransition,
  isOpenStatus,
  missingProof,
  type WorkStatus,
} from './job-rules.js';
import { JobsException, JobsExceptionCode } from './jobs.exception.js';
import { JobsRepository, iso, type JobPatch, type NewJob } from './jobs.repository.js';

/**
 * Dispatch jobs: lifecycle open → assigned → en_route → on_site → done (or cancelled from any open
 * state), every change timestamped (server clock) and attributed in job_events, and emitted as a
 * DomainEvent after it commits. Creation from rule findings lives in IncidentsService (alarms/).
 */
@Injectable()
export class JobsService implements OnModuleInit {
  constructor(
    private readonly repository: JobsRepository,
    private readonly events: DomainEvents,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly tasks: TaskRegistry,
  ) {}

  onModuleInit(): void {
    this.tasks.register({ name: SLA_TASK, everyMs: JOBS_DEFAULTS.slaCheckEveryMs, run: (now) => this.flagOverdue(now).then(() => undefined) });
  }

  /** The job with its history, or null. */
  async get(jobId: string): Promise<Job | null> {
    const job = await this.repository.findById(jobId);
    if (!job) return null;
    return { ...job, history: await this.repository.history(jobId) };
  }

  /** Like get, but 404 when unknown. */
  async require(jobId: string): Promise<Job> {
    const job = await this.get(jobId);
    if (!job) throw JobsException.notFound(jobId);
    return job;
  }

  findOpen(subjectId: string, type?: JobType): Promise<Job[]> {
    return this.repository.findOpen(subjectId, type);
  }

  listOpen(filter: { types?: JobType[] } = {}): Promise<Job[]> {
    return this.repository.listOpen(filter.types);
  }

  list(query: ListJobsQuery, crewMember?: string): Promise<Paged<Job>> {
    return this.repository.list(query, crewMember);
  }

  isCrewMemberOf(job: Job, username: string): Promise<boolean> {
    return this.repository.isCrewMemberOf(job, username);
  }

  /** Stores the fleet's proposal (no status change). History only when the proposed unit changes. */
  async setProposal(jobId: string, proposal: AssignmentProposal | null): Promise<Job> {
    return this.mutate(jobId, async (tx, job, now) => {
      // A proposal racing the job's close is moot, not an error.
      if (!isOpenStatus(job.status) || JSON.stringify(job.proposal) === JSON.stringify(proposal)) return null;
      const updated = await this.repository.update(tx, jobId, { proposal: proposal ? JSON.stringify(proposal) : null, updated_at: iso(now) });
      if (job.proposal?.unitId !== proposal?.unitId || job.proposal?.unitType !== proposal?.unitType) {
        await this.repository.addEvent(tx, jobId, {
          at: now,
          by: 'system',
          action: 'proposed',
          note: proposal ? `${proposal.unitType} ${proposal.unitId} (${proposal.name}), ~${Math.round(proposal.travelS / 60)} min away` : 'no unit available',
          data: proposal ? { ...proposal } : null,
        });
      }
      return updated;
    });
  }

  /** open → assigned, or reassignment while assigned/en_route (back to assigned). Same unit again: no change. */
  /** `handOver`: the current unit was withdrawn (breakdown), so even a job it is on site for moves. */
  async assign(jobId: string, assignee: JobAssignee, by: string, note?: string, handOver = false): Promise<Job> {
    const name = await this.repository.unitName(assignee.unitType, assignee.unitId);
    if (name === null) {
      throw new JobsException(JobsExceptionCode.UNIT_NOT_FOUND, `unitId: no ${assignee.unitType} "${assignee.unitId}" is registered`);
    }
    return this.mutate(jobId, async (tx, job, now) => {
      const why = illegalAssignment(job.status, handOver);
      if (why) throw JobsException.illegal(jobId, job.status, 'assigned', why);
      const current = job.assignee;
      if (current?.unitType === assignee.unitType && current.unitId === assignee.unitId && job.status === 'assigned') return null;
      const updated = await this.repository.update(tx, jobId, {
        status: 'assigned',
        unit_type: assignee.unitType,
        unit_id: assignee.unitId,
        updated_at: iso(now),
      });
      await this.repository.addEvent(tx, jobId, {
        at: now,
        by,
        action: 'assigned',
        note: note ?? null,
        data: { unitType: assignee.unitType, unitId: assignee.unitId, name, ...(current ? { previous: current } : {}) },
      });
      return updated;
    });
  }

  /**
   * Opens a job unless one is open for (subject, type) — route planning's publish, for a bin that is
   * planned before any rule raised it. Returns the open job either way.
   */
  async openIfNone(job: Omit<NewJob, 'createdAt'>): Promise<Job> {
    const now = this.clock.now();
    const { job: opened, created } = await this.repository.db.transaction((tx) => this.repository.insertOpen(tx, { ...job, createdAt: now }));
    if (created) this.emit([opened]);
    return opened;
  }

  /** Merges keys into the job's details (e.g. `routePlan`, which the crew view orders by). No history: not a status change. */
  async mergeDetails(jobId: string, details: Record<string, unknown>): Promise<Job> {
    return this.mutate(jobId, async (tx, job, now) => {
      const merged = { ...job.details, ...details };
      if (JSON.stringify(merged) === JSON.stringify(job.details)) return null;
      return this.repository.update(tx, jobId, { details: JSON.stringify(merged), updated_at: iso(now) });
    });
  }

  /** Accepts the current proposal (dispatcher's "OK"). 409 when there is none. */
  async acceptProposal(jobId: string, by: string, note?: string): Promise<Job> {
    const job = await this.require(jobId);
    if (!job.proposal) throw new JobsException(JobsExceptionCode.NO_PROPOSAL, `job "${jobId}" has no proposal to accept; name a unit`);
    return this.assign(jobId, { unitType: job.proposal.unitType, unitId: job.proposal.unitId }, by, note);
  }

  /**
   * Field progress by the unit or a dispatcher. An operator's "done" on a collection or pumping job
   * without proof still closes the job, flagged `unproven` with the reason in the history.
   */
  async transition(jobId: string, status: WorkStatus, by: string, extra: { note?: string; photoUrl?: string } = {}): Promise<Job> {
    return this.mutate(jobId, async (tx, job, now) => {
      const why = illegalWorkTransition(job.status, status);
      if (why) throw JobsException.illegal(jobId, job.status, status, why);
      const patch: JobPatch = { status, updated_at: iso(now) };
      let proof = job.proof;
      if (extra.photoUrl) {
        proof = { ...proof, photoUrl: extra.photoUrl };
        patch.proof = JSON.stringify(proof);
      }
      const data = extra.photoUrl ? { photoUrl: extra.photoUrl } : null;
      if (status !== 'done') {
        await this.repository.addEvent(tx, jobId, { at: now, by, action: status, note: extra.note ?? null, data });
        return this.repository.update(tx, jobId, patch);
      }
      const missing = missingProof(job.type, proof);
      const flags = this.closingFlags(job, now, missing.length > 0);
      await this.repository.addEvent(tx, jobId, { at: now, by, action: 'done', note: extra.note ?? null, data });
      if (missing.length) {
        await this.repository.addEvent(tx, jobId, {
          at: now,
          by: 'system',
          action: 'flagged',
          note: `claimed done without proof of service: ${missing.join('; ')}`,
          data: { flag: FLAG_UNPROVEN, missing },
        });
      }
      return this.repository.update(tx, jobId, { ...patch, completed_at: iso(now), flags });
    });
  }

  /**
   * Merges proof of service (geofence stop, levels, disposal). Allowed after the job closed too
   * (disposal comes after pumping); a job flagged unproven whose proof is now complete loses the flag.
   */
  async recordProof(jobId: string, proof: Partial<JobProof>, by: string): Promise<Job> {
    return this.mutate(jobId, async (tx, job, now) => {
      const merged: JobProof = { ...job.proof, ...proof };
      const patch: JobPatch = { proof: JSON.stringify(merged), updated_at: iso(now) };
      await this.repository.addEvent(tx, jobId, { at: now, by, action: 'proof', data: { ...proof } });
      if (job.flags.includes(FLAG_UNPROVEN) && missingProof(job.type, merged).length === 0) {
        patch.flags = job.flags.filter((f) => f !== FLAG_UNPROVEN);
        await this.repository.addEvent(tx, jobId, { at: now, by: 'system', action: 'proven', note: 'proof of service now complete' });
      }
      return this.repository.update(tx, jobId, patch);
    });
  }

  /** System close with proof (the fleet saw the service happen): → done from any open state. Done already: unchanged. */
  async complete(jobId: string, by: string, note?: string): Promise<Job> {
    return this.mutate(jobId, async (tx, job, now) => {
      if (job.status === 'done') return null;
      if (!isOpenStatus(job.status)) throw JobsException.illegal(jobId, job.status, 'done');
      await this.repository.addEvent(tx, jobId, { at: now, by, action: 'done', note: note ?? 'closed on proof of service', data: { proven: true } });
      return this.repository.update(tx, jobId, {
        status: 'done',
        updated_at: iso(now),
        completed_at: iso(now),
        flags: this.closingFlags(job, now, false),
      });
    });
  }

  /** Cancels from any open state; `note` says why. */
  async cancel(jobId: string, by: string, note: string): Promise<Job> {
    return this.mutate(jobId, async (tx, job, now) => {
      if (!isOpenStatus(job.status)) throw JobsException.illegal(jobId, job.status, 'cancelled');
      await this.repository.addEvent(tx, jobId, { at: now, by, action: 'cancelled', note });
      return this.repository.update(tx, jobId, { status: 'cancelled', updated_at: iso(now), completed_at: iso(now) });
    });
  }

  /** Gas at the site: flag every open job there unsafe (or safe again). */
  async setUnsafe(subjectId: string, unsafe: boolean, at: number, reason: string): Promise<void> {
    const changed = await this.repository.setUnsafe(this.repository.db, subjectId, unsafe, at, reason);
    this.emit(changed);
  }

  /** The 'jobs-sla' task: flags open jobs past due. Returns the jobs flagged now. */
  async flagOverdue(now: number = this.clock.now()): Promise<Job[]> {
    const flagged = await this.repository.flagOverdue(now);
    this.emit(flagged);
    return flagged;
  }

  /** Emits committed job changes. */
  emit(jobs: readonly Job[]): void {
    for (const job of jobs) this.events.emit({ type: 'job', job });
  }

  /** Flags a closing job carries: keeps its flags, adds overdue if late (SLA reporting), unproven if claimed without proof. */
  private closingFlags(job: Job, now: number, unproven: boolean): string[] {
    const flags = new Set(job.flags.filter((f) => f !== FLAG_UNPROVEN));
    if (now > Date.parse(job.dueAt)) flags.add(FLAG_OVERDUE);
    if (unproven) flags.add(FLAG_UNPROVEN);
    return [...flags];
  }

  /**
   * Runs one change on a locked job in a transaction; `change` returns the updated job, or null
   * for "nothing changed". Each change checks the status it may start from. Emits after commit;
   * answers the job with its history.
   */
  private async mutate(jobId: string, change: (tx: Queryable, job: Job, now: number) => Promise<Job | null>): Promise<Job> {
    const now = this.clock.now();
    const updated = await this.repository.db.transaction(async (tx) => {
      const job = await this.repository.findById(jobId, tx, true);
      if (!job) throw JobsException.notFound(jobId);
      return change(tx, job, now);
    });
    if (updated) this.emit([updated]);
    return this.require(jobId);
  }
}
