import { Inject, Injectable } from '@nestjs/common';
import { CAUSES, type Alarm, type Cause, type Job } from '@sanitation/contracts';
import { CLOCK, type Clock } from '../clock/clock.js';
import { JobsRepository } from '../jobs/jobs.repository.js';
import { JobsService } from '../jobs/jobs.service.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { AlarmsRepository } from './alarms.repository.js';
import { AlarmsService } from './alarms.service.js';
import { CAUSE_POLICY, type CausePolicy } from './cause-policy.js';
import type { ConditionReport, IncidentSink } from './incident-sink.js';

/** Causes whose open alarm makes work at the subject unsafe. */
const UNSAFE_CAUSES = (Object.entries(CAUSE_POLICY) as [Cause, CausePolicy][]).filter(([, p]) => p.flagsUnsafe).map(([c]) => c);
const KNOWN_CAUSES = new Set<string>(CAUSES);

/**
 * The rules engine's way in: a finding becomes an alarm and/or a job by the cause's policy, once
 * per (subject, cause) / (subject, job type) — the partial unique indexes decide, so racing calls,
 * replays and restarts never duplicate. A call that changes nothing costs one or two indexed reads.
 * Changes are emitted as DomainEvents after their transaction commits.
 */
@Injectable()
export class IncidentsService implements IncidentSink {
  private readonly logger: Logger;

  constructor(
    private readonly alarmsRepository: AlarmsRepository,
    private readonly alarms: AlarmsService,
    private readonly jobsRepository: JobsRepository,
    private readonly jobs: JobsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'incidents' });
  }

  async raise(report: ConditionReport): Promise<void> {
    const invalid = this.invalid(report.subjectId, report.cause, report.at);
    if (invalid) {
      this.logger.warn({ report }, `raise ignored: ${invalid}`);
      return;
    }
    const policy: CausePolicy = CAUSE_POLICY[report.cause];
    const jobPolicy = policy.job;
    const dueAt = jobPolicy ? (report.dueBy ?? report.at + jobPolicy.slaMinutes * 60_000) : 0;

    // Fast path: everything this finding calls for is already open.
    const openAlarm = policy.severity ? await this.alarmsRepository.findOpen(report.subjectId, report.cause) : null;
    const [openJob] = jobPolicy ? await this.jobsRepository.findOpen(report.subjectId, jobPolicy.type) : [];
    if (this.settled(policy, report.cause, dueAt, openAlarm, openJob)) return;

    const now = this.clock.now();
    const alarms = new Map<string, Alarm>();
    const jobs = new Map<string, Job>();
    await this.alarmsRepository.db.transaction(async (tx) => {
      let alarm: Alarm | null = null;
      if (policy.severity) {
        const opened = await this.alarmsRepository.insertOpen(tx, {
          subjectId: report.subjectId,
          deviceKind: report.deviceKind,
          cause: report.cause,
          severity: policy.severity,
          zone: report.zone,
          lat: report.lat,
          lon: report.lon,
          message: report.message,
          details: report.details ?? {},
          openedAt: report.at,
        });
        alarm = opened.alarm;
        if (opened.created) {
          alarms.set(alarm.alarmId, alarm);
          if (policy.flagsUnsafe) {
            const flagged = await this.jobsRepository.setUnsafe(tx, report.subjectId, true, report.at, `${report.cause}: ${report.message}`);
            for (const j of flagged) jobs.set(j.jobId, j);
          }
        }
      }
      if (!jobPolicy) return;

      let [job] = await this.jobsRepository.findOpen(report.subjectId, jobPolicy.type, tx);
      let created = false;
      // No open job: create one, unless this alarm's job was already done (one job per alarm) or
      // a job of this type closed after the observation (the work since then covers it).
      if (!job && !alarm?.jobId && !(await this.jobsRepository.closedSince(tx, report.subjectId, jobPolicy.type, report.at))) {
        const inserted = await this.jobsRepository.insertOpen(tx, {
          type: jobPolicy.type,
          cause: report.cause,
          subjectId: report.subjectId,
          deviceKind: report.deviceKind,
          zone: report.zone,
          lat: report.lat,
          lon: report.lon,
          priority: jobPolicy.priority,
          message: report.message,
          details: report.details ?? {},
          createdAt: report.at,
          dueAt,
          unsafe: await this.alarmsRepository.anyOpen(tx, report.subjectId, UNSAFE_CAUSES),
          alarmId: alarm?.alarmId ?? null,
        });
        job = inserted.job;
        created = inserted.created;
        if (created) jobs.set(job.jobId, job);
      }
      if (!job) return;

      if (!created) {
        // Another cause wants the same work: the more urgent priority and the earlier due time win.
        const tightened = await this.jobsRepository.tighten(tx, job.jobId, jobPolicy.priority, dueAt, now);
        if (tightened) {
          await this.jobsRepository.addEvent(tx, job.jobId, {
            at: now,
            by: 'system',
            action: 'escalated',
            note: `${report.cause}: ${report.message}`,
            data: { cause: report.cause, priority: tightened.priority, dueAt: tightened.dueAt },
          });
          job = tightened;
          jobs.set(job.jobId, job);
        }
        if (job.cause !== report.cause) {
          const noted = await this.jobsRepository.addEventOnce(
            tx,
            job.jobId,
            { at: now, by: 'system', action: 'merged', note: `${report.cause}: ${report.message}`, data: { cause: report.cause } },
            `merged:${report.cause}`,
          );
          if (noted) jobs.set(job.jobId, job);
        }
      }
      if (alarm && !alarm.jobId) {
        const linked = await this.alarmsRepository.linkJob(tx, alarm.alarmId, job.jobId);
        if (linked) alarms.set(linked.alarmId, linked);
      }
      if (alarm && !job.alarmId) {
        const linked = await this.jobsRepository.update(tx, job.jobId, { alarm_id: alarm.alarmId }, 'AND alarm_id IS NULL');
        if (linked) jobs.set(linked.jobId, linked);
      }
    });
    this.alarms.emit([...alarms.values()]);
    this.jobs.emit([...jobs.values()]);
  }

  /**
   * The condition is gone: resolve its alarm by 'system' with the reason. The job stays (the work
   * may still be needed) and gets a history note. A clear older than the alarm is stale and ignored.
   */
  async clear(subjectId: string, cause: Cause, at: number, reason: string): Promise<void> {
    const invalid = this.invalid(subjectId, cause, at);
    if (invalid) {
      this.logger.warn({ subjectId, cause, at }, `clear ignored: ${invalid}`);
      return;
    }
    const policy: CausePolicy = CAUSE_POLICY[cause];
    const alarm = policy.severity ? await this.alarmsRepository.findOpen(subjectId, cause) : null;
    const [job] = !policy.severity && policy.job ? await this.jobsRepository.findOpen(subjectId, policy.job.type) : [];
    if (alarm && at < Date.parse(alarm.openedAt)) return;
    if (policy.flagsUnsafe) await this.jobs.setUnsafe(subjectId, false, at, `${cause} cleared: ${reason}`);
    if (!alarm && !job) return;

    const alarms: Alarm[] = [];
    const jobs: Job[] = [];
    await this.alarmsRepository.db.transaction(async (tx) => {
      let jobId = job?.jobId ?? null;
      if (alarm) {
        const resolved = await this.alarmsRepository.resolve(tx, alarm.alarmId, at, 'system', reason);
        if (!resolved) return; // resolved meanwhile (by hand or a racing clear)
        await this.alarmsRepository.addEvent(tx, alarm.alarmId, { at, by: 'system', action: 'resolved', note: reason });
        alarms.push(resolved);
        jobId = resolved.jobId;
      }
      if (!jobId) return;
      const linked = await this.jobsRepository.findById(jobId, tx);
      if (!linked || !['open', 'assigned', 'en_route', 'on_site'].includes(linked.status)) return;
      const noted = await this.jobsRepository.addEventOnce(
        tx,
        jobId,
        { at, by: 'system', action: 'condition-cleared', note: `${cause}: ${reason}`, data: { cause, alarmId: alarm?.alarmId ?? null } },
        `cleared:${cause}:${alarm?.alarmId ?? ''}`,
      );
      if (noted) jobs.push(linked);
    });
    this.alarms.emit(alarms);
    this.jobs.emit(jobs);
  }

  setUnsafe(subjectId: string, unsafe: boolean, at: number, reason: string): Promise<void> {
    return this.jobs.setUnsafe(subjectId, unsafe, at, reason);
  }

  /** Nothing to write: the alarm (if any) is open, the job (if any) open, linked and at least as urgent. */
  private settled(policy: CausePolicy, cause: Cause, dueAt: number, alarm: Alarm | null, job: Job | undefined): boolean {
    if (policy.severity && !alarm) return false;
    if (!policy.job) return true;
    if (!job) return Boolean(alarm?.jobId); // the alarm's job was done; otherwise a job may be due
    if (job.priority > policy.job.priority || Date.parse(job.dueAt) > dueAt) return false;
    if (alarm && (!alarm.jobId || !job.alarmId)) return false;
    return job.cause === cause;
  }

  private invalid(subjectId: unknown, cause: unknown, at: unknown): string | null {
    if (typeof subjectId !== 'string' || !subjectId) return 'subjectId: must be a non-empty string';
    if (typeof cause !== 'string' || !KNOWN_CAUSES.has(cause)) return `cause: unknown cause "${String(cause)}"`;
    if (typeof at !== 'number' || !Number.isFinite(at)) return 'at: must be epoch ms';
    return null;
  }
}
