import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { AcceptedReading } from '@sanitation/contracts';
import { Subject, type Observable } from 'rxjs';

/**
 * In-process stream of readings accepted from the gateways, for the rules engine. Delivery is
 * at least once (MQTT QoS 1): a subscriber that must not double-count dedupes on (deviceId, seq).
 */
@Injectable()
export class ReadingsBus implements OnApplicationShutdown {
  private readonly subject = new Subject<AcceptedReading>();
  readonly readings$: Observable<AcceptedReading> = this.subject.asObservable();

  publish(readings: readonly AcceptedReading[]): void {
    for (const reading of readings) this.subject.next(reading);
  }

  onApplicationShutdown(): void {
    this.subject.complete();
  }
}
