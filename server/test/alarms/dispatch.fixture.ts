import type { Alarm, Job } from '@sanitation/contracts';
import { AlarmsRepository } from '../../src/alarms/alarms.repository.js';
import { AlarmsService } from '../../src/alarms/alarms.service.js';
import type { ConditionReport } from '../../src/alarms/incident-sink.js';
import { IncidentsService } from '../../src/alarms/incidents.service.js';
import type { ManualClock } from '../../src/clock/clock.js';
import type { Database } from '../../src/database/database.js';
import { DomainEvents } from '../../src/events/domain-events.js';
import { JobsRepository } from '../../src/jobs/jobs.repository.js';
import { JobsService } from '../../src/jobs/jobs.service.js';
import { createLogger } from '../../src/logging/logger.js';
import { TaskRegistry } from '../../src/scheduler/task.registry.js';

/** The dispatch services wired by hand on one database, as one server instance would have them. */
export interface Dispatch {
  alarms: AlarmsService;
  jobs: JobsService;
  incidents: IncidentsService;
  tasks: TaskRegistry;
  /** Every alarm/job the instance emitted, in order. */
  emitted: { alarms: Alarm[]; jobs: Job[] };
}

export function buildDispatch(db: Database, clock: ManualClock): Dispatch {
  const events = new DomainEvents();
  const tasks = new TaskRegistry();
  const alarmsRepository = new AlarmsRepository(db);
  const jobsRepository = new JobsRepository(db);
  const alarms = new AlarmsService(alarmsRepository, events, clock, tasks);
  const jobs = new JobsService(jobsRepository, events, clock, tasks);
  alarms.onModuleInit();
  jobs.onModuleInit();
  const incidents = new IncidentsService(alarmsRepository, alarms, jobsRepository, jobs, clock, createLogger('silent'));
  const emitted: Dispatch['emitted'] = { alarms: [], jobs: [] };
  events.events$.subscribe((e) => {
    if (e.type === 'alarm') emitted.alarms.push(e.alarm);
    if (e.type === 'job') emitted.jobs.push(e.job);
  });
  return { alarms, jobs, incidents, tasks, emitted };
}

export const T0 = Date.parse('2026-03-02T08:00:00.000Z');
export const MIN = 60_000;

export function report(subjectId: string, cause: ConditionReport['cause'], overrides: Partial<ConditionReport> = {}): ConditionReport {
  return {
    subjectId,
    deviceKind: subjectId.startsWith('cabinet:') ? null : (subjectId.split('-')[0] as ConditionReport['deviceKind']),
    cause,
    at: T0,
    lat: 30.25,
    lon: 120.16,
    zone: 'zone-a',
    message: `${cause} at ${subjectId}`,
    details: { probe: cause },
    ...overrides,
  };
}

export async function count(db: Database, table: 'alarms' | 'jobs', subjectId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE subject_id = $1`, [subjectId]);
  return Number(row!.n);
}
