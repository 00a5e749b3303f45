import type { Alarm, Job } from '@sanitation/contracts';
import { live } from '../live/live-connection';
import { EntityStore } from './entity.store';

/** An alarm only moves forward: opened → escalated (count) → acknowledged → resolved. */
export function alarmVersion(a: Alarm): string {
  const latest = [a.openedAt, a.acknowledgedAt ?? '', a.resolvedAt ?? ''].sort().at(-1)!;
  return `${latest}|${String(a.escalations).padStart(4, '0')}`;
}

/** Every job / alarm the client knows of, fed by REST and the live socket. */
export const jobs = new EntityStore<Job>((j) => j.jobId, (j) => j.updatedAt);
export const alarms = new EntityStore<Alarm>((a) => a.alarmId, alarmVersion);

live.on('job', (job) => jobs.upsert([job]));
live.on('alarm', (alarm) => alarms.upsert([alarm]));
