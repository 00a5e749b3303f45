import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Alarm, DeviceStateEvent, Job, TruckPositionEvent } from '@sanitation/contracts';
import { Subject, type Observable } from 'rxjs';

/** Something a dashboard should see change. Emitted after the change is committed. */
export type DomainEvent =
  | { type: 'alarm'; alarm: Alarm }
  | { type: 'job'; job: Job }
  | { type: 'device'; state: DeviceStateEvent }
  | { type: 'truck'; position: TruckPositionEvent };

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
