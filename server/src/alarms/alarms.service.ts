import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Alarm, ListAlarmsQuery, Paged } from '@sanitation/contracts';
import { CLOCK, type Clock } from '../clock/clock.js';
import { DomainEvents } from '../events/domain-events.js';
import { TaskRegistry } from '../scheduler/task.registry.js';
import { AlarmsException, AlarmsExceptionCode } from './alarms.exception.js';
import { AlarmsRepository } from './alarms.repository.js';
import { DISPATCH_DEFAULTS, ESCALATION_TASK } from './cause-policy.js';

/**
 * Alarms: open → acknowledged → resolved (by rule or by hand, with who and why), escalation while
 * unacknowledged, history in alarm_events. Opening and rule-resolving happen in IncidentsService.
 */
@Injectable()
export class AlarmsService implements OnModuleInit {
  constructor(
    private readonly repository: AlarmsRepository,
    private readonly events: DomainEvents,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly tasks: TaskRegistry,
  ) {}

  onModuleInit(): void {
    this.tasks.register({
      name: ESCALATION_TASK,
      everyMs: DISPATCH_DEFAULTS.escalationCheckEveryMs,
      run: (now) => this.escalateDue(now).then(() => undefined),
    });
  }

  list(query: ListAlarmsQuery): Promise<Paged<Alarm>> {
    return this.repository.list(query);
  }

  /** The alarm with its history; 404 when unknown. */
  async get(alarmId: string): Promise<Alarm> {
    const alarm = await this.repository.findById(alarmId);
    if (!alarm) throw AlarmsException.notFound(alarmId);
    return { ...alarm, history: await this.repository.history(alarmId) };
  }

  /** open → acknowledged; stops escalation. */
  async acknowledge(alarmId: string, by: string, note?: string): Promise<Alarm> {
    const now = this.clock.now();
    const changed = await this.repository.db.transaction(async (tx) => {
      const alarm = await this.repository.findById(alarmId, tx, true);
      if (!alarm) throw AlarmsException.notFound(alarmId);
      if (alarm.status === 'acknowledged') {
        throw new AlarmsException(AlarmsExceptionCode.ALARM_ALREADY_ACKNOWLEDGED, `alarm "${alarmId}" was already acknowledged by ${alarm.acknowledgedBy}`);
      }
      if (alarm.status === 'resolved') throw new AlarmsException(AlarmsExceptionCode.ALARM_RESOLVED, `alarm "${alarmId}" is resolved`);
      const updated = await this.repository.acknowledge(tx, alarmId, now, by);
      await this.repository.addEvent(tx, alarmId, { at: now, by, action: 'acknowledged', note: note ?? null });
      return updated;
    });
    this.emit(changed ? [changed] : []);
    return this.get(alarmId);
  }

  /** Resolution by hand: who and why. The linked job stays (the work may still be needed). */
  async resolve(alarmId: string, by: string, note: string): Promise<Alarm> {
    const now = this.clock.now();
    const changed = await this.repository.db.transaction(async (tx) => {
      const alarm = await this.repository.findById(alarmId, tx, true);
      if (!alarm) throw AlarmsException.notFound(alarmId);
      if (alarm.status === 'resolved') {
        throw new AlarmsException(AlarmsExceptionCode.ALARM_RESOLVED, `alarm "${alarmId}" was already resolved by ${alarm.resolvedBy}`);
      }
      const updated = await this.repository.resolve(tx, alarmId, now, by, note);
      await this.repository.addEvent(tx, alarmId, { at: now, by, action: 'resolved', note });
      return updated;
    });
    this.emit(changed ? [changed] : []);
    return this.get(alarmId);
  }

  /** The 'alarms-escalation' task. Returns the alarms escalated (or reminded) now. */
  async escalateDue(now: number = this.clock.now()): Promise<Alarm[]> {
    const escalated = await this.repository.escalateDue(now, DISPATCH_DEFAULTS.escalateAfterMin, DISPATCH_DEFAULTS.remindEveryMin);
    this.emit(escalated);
    return escalated;
  }

  emit(alarms: readonly Alarm[]): void {
    for (const alarm of alarms) this.events.emit({ type: 'alarm', alarm });
  }
}
