import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RoutePlan } from '@sanitation/contracts';
import type { Subscription } from 'rxjs';
import { INCIDENT_SINK, type IncidentSink } from '../../alarms/incident-sink.js';
import { CLOCK, type Clock } from '../../clock/clock.js';
import { SerialQueue } from '../../common/serial-queue.js';
import { DomainEvents, type PlanBbox } from '../../events/domain-events.js';
import { FleetUnitsService } from '../../fleet/fleet-units.service.js';
import { LOGGER, type Logger } from '../../logging/logger.js';
import { PROGRESS_DEFAULTS } from './progress.defaults.js';
import { PUBLISHED_PLANS, type PublishedPlansPort } from './published-plans.port.js';
import { RouteProgressTracker, type TrackerEffect } from './route-progress.tracker.js';

/** The part of the fleet the tracker needs: which vehicle a truck's GPS unit belongs to. */
export type VehicleOfDevice = Pick<FleetUnitsService, 'vehicleByDevice'>;

/**
 * Wires the RouteProgressTracker to the server: truck fixes and job changes from DomainEvents,
 * published plans from PUBLISHED_PLANS (re-read on every plan change and every PLANS_REFRESH_MS),
 * changed progress saved through the port (which sends `plan:progress`) at most every EMIT_EVERY_MS,
 * off-route as `plan:off-route` plus an `off-route` alarm on the truck (resolved when it is back),
 * and the plan completed when every collect stop is done or skipped. Effects run one at a time.
 */
@Injectable()
export class RouteProgressService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  readonly tracker: RouteProgressTracker;
  private readonly queue: SerialQueue;
  private readonly logger: Logger;
  private subscription: Subscription | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private refreshQueued = false;

  constructor(
    private readonly events: DomainEvents,
    @Inject(PUBLISHED_PLANS) private readonly plans: PublishedPlansPort,
    @Inject(INCIDENT_SINK) private readonly incidents: IncidentSink,
    @Inject(FleetUnitsService) units: VehicleOfDevice,
    @Inject(CLOCK) clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'routing-progress' });
    this.queue = new SerialQueue((err) => this.logger.warn({ err }, 'route progress step failed'));
    this.tracker = new RouteProgressTracker(clock, {}, (deviceId) => units.vehicleByDevice(deviceId)?.vehicleId ?? null);
  }

  onModuleInit(): void {
    this.subscription = this.events.events$.subscribe((e) => {
      try {
        if (e.type === 'truck') this.apply(this.tracker.onTruck(e.position));
        else if (e.type === 'job') this.apply(this.tracker.onJob(e.job));
        else if (e.type === 'plan') void this.refresh();
      } catch (err) {
        this.logger.error({ err }, 'route progress could not apply an event');
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timers.push(
      setInterval(() => void this.flush(), PROGRESS_DEFAULTS.EMIT_EVERY_MS).unref(),
      setInterval(() => void this.refresh(), PROGRESS_DEFAULTS.PLANS_REFRESH_MS).unref(),
    );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    for (const t of this.timers) clearInterval(t);
  }

  /** Re-read the published plans (coalesced: one pending re-read at a time). */
  refresh(): Promise<void> {
    if (this.refreshQueued) return Promise.resolve();
    this.refreshQueued = true;
    return this.queue.run(async () => {
      this.refreshQueued = false;
      const plans = await this.plans.published();
      await this.run(this.tracker.setPlans(plans));
    });
  }

  /** Save and send the progress of every plan that changed. */
  flush(): Promise<void> {
    return this.queue.run(async () => {
      for (const { plan, routes } of this.tracker.flush()) await this.plans.saveProgress(plan.planId, routes);
    });
  }

  private apply(effects: TrackerEffect[]): void {
    if (effects.length > 0) void this.queue.run(() => this.run(effects));
  }

  private async run(effects: TrackerEffect[]): Promise<void> {
    for (const effect of effects) {
      try {
        await this.runOne(effect);
      } catch (err) {
        this.logger.warn({ err, effect: effect.type }, 'route progress effect failed');
      }
    }
  }

  private async runOne(effect: TrackerEffect): Promise<void> {
    switch (effect.type) {
      case 'off-route': {
        const { plan, event } = effect;
        const route = plan.routes.find((r) => r.vehicleId === event.vehicleId);
        await this.incidents.raise({
          subjectId: effect.deviceId,
          deviceKind: 'truck',
          cause: 'off-route',
          at: Date.parse(event.at),
          lat: event.lat,
          lon: event.lon,
          zone: plan.zone,
          message: `${route?.vehicleName ?? event.vehicleId} is ${event.offRouteM} m off its planned route`,
          details: { planId: plan.planId, vehicleId: event.vehicleId, offRouteM: event.offRouteM },
        });
        this.events.emit({ type: 'plan-off-route', zone: plan.zone, bbox: bboxOf(plan), event });
        return;
      }
      case 'back-on-route':
        await this.incidents.clear(effect.deviceId, 'off-route', effect.at, effect.reason);
        return;
      case 'completed':
        // Save the final progress first: completing re-reads the stored plan.
        for (const { plan, routes } of this.tracker.flush()) await this.plans.saveProgress(plan.planId, routes);
        await this.plans.complete(effect.planId);
        this.logger.info({ planId: effect.planId }, 'plan completed: every collect stop done or skipped');
        return;
    }
  }
}

/** [w, s, e, n] of a plan's stops, for the socket's area subscriptions. */
function bboxOf(plan: RoutePlan): PlanBbox | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const stop of plan.routes.flatMap((r) => r.stops)) {
    w = Math.min(w, stop.lon);
    e = Math.max(e, stop.lon);
    s = Math.min(s, stop.lat);
    n = Math.max(n, stop.lat);
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
