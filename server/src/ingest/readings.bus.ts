import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { AcceptedReading } from '@sanitation/contracts';
import { Subject, type Observable } from 'rxjs';

/**
 * In-process stream of readings accepted from the gateways, for the rules engine and the fleet.
 * Delivery is at least once (MQTT QoS 1): a subscriber that must not double-count dedupes on
 * (deviceId, seq).
 *
 * A subscriber whose work on a reading continues after `readings$` returned (a database write)
 * hands that work to `track()`. The consumer acknowledges a hand-off batch to the gateway only
 * when `settled()` resolves, so a server killed mid-way gets the batch again instead of losing the
 * job it was about to create.
 */
@Injectable()
export class ReadingsBus implements OnApplicationShutdown {
  private readonly subject = new Subject<AcceptedReading>();
  private readonly inFlight = new Set<Promise<unknown>>();
  readonly readings$: Observable<AcceptedReading> = this.subject.asObservable();

  publish(readings: readonly AcceptedReading[]): void {
    for (const reading of readings) this.subject.next(reading);
  }

  /** Work started for a published reading; failures are the subscriber's to log. */
  track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
  }

  /** Resolves when all work tracked so far has settled (later work is not waited for). */
  async settled(): Promise<void> {
    if (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  onApplicationShutdown(): void {
    this.subject.complete();
  }
}
