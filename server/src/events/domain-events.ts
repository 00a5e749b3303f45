import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Alarm, DeviceStateEvent, Job, OffRouteEvent, PlanChangedEvent, PlanProgressEvent, TruckPositionEvent } from '@sanitation/contracts';
import { Subject, type Observable } from 'rxjs';

/** Something a dashboard should see change. Emitted after the change is committed. */
export type DomainEvent =
  | { type: 'alarm'; alarm: Alarm }
  | { type: 'job'; job: Job }
  | { type: 'device'; state: DeviceStateEvent }
  | { type: 'truck'; position: TruckPositionEvent }
  // Route plans: sent to operators whose zones hold the plan's zone or whose bbox meets `bbox` ([w, s, e, n] of its stops).
  | { type: 'plan'; event: PlanChangedEvent; bbox: PlanBbox | null }
  | { type: 'plan-progress'; zone: string; bbox: PlanBbox | null; event: PlanProgressEvent }
  | { type: 'plan-off-route'; zone: string; bbox: PlanBbox | null; event: OffRouteEvent };

/** [west, south, east, north], degrees. */
export type PlanBbox = [number, number, number, number];

/** In-process event bus between the modules that change state and the live stream. */
@Injectable()
export class DomainEvents implements OnApplicationShutdown {
  private readonly subject = new Subject<DomainEvent>();
  readonly events$: Observable<DomainEvent> = this.subject.asObservable();

  emit(event: DomainEvent): void {
    this.subject.next(event);
  }

  onApplicationShutdown(): void {
    this.subject.complete();
  }
}

@Global()
@Module({ providers: [DomainEvents], exports: [DomainEvents] })
export class EventsModule {}
