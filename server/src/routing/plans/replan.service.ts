import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Job, PlanStop, RoutePlan, RouteProgress, VehicleBreakdownRequest } from '@sanitation/contracts';
import type { Subscription } from 'rxjs';
import { SerialQueue } from '../../common/serial-queue.js';
import { DomainEvents } from '../../events/domain-events.js';
import { LOGGER, type Logger } from '../../logging/logger.js';
import { ROUTING_DEFAULTS } from '../routing.defaults.js';
import { RoutingException, RoutingExceptionCode } from '../routing.exception.js';
import { PlanJobsService } from './plan-jobs.service.js';
import { summarize } from './plan-solver.js';
import { PlansService } from './plans.service.js';
import type { PlanConstraints } from './problem-builder.js';
import { stopIdOf } from './solution-reader.js';

const SYSTEM = 'system';

function blankProgress(): RouteProgress {
  return { nextStopIndex: 0, doneStops: 0, delayS: 0, offRoute: false, offRouteM: null, lastFixAt: null, withdrawn: false };
}

/**
 * Re-plans a published plan during the shift: a new collection job in its zone is inserted, a
 * broken-down truck's stops go to the others. Stops done stay as they were; stops under way stay
 * first on their truck (the solver's fixed prefix); each truck starts from where it is now.
 * Re-plans run one at a time (event-driven and HTTP ones alike).
 */
@Injectable()
export class ReplanService implements OnModuleInit, OnApplicationShutdown {
  private readonly queue: SerialQueue;
  private readonly logger: Logger;
  private subscription: Subscription | undefined;

  constructor(
    private readonly plans: PlansService,
    private readonly events: DomainEvents,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ module: 'routing-replan' });
    this.queue = new SerialQueue((err) => this.logger.error({ err }, 're-plan failed'));
  }

  onModuleInit(): void {
    this.subscription = this.events.events$.subscribe((e) => {
      if (e.type === 'job') void this.onJob(e.job);
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  /** A new open collection (pumping) job for a bin (tank) of a published plan's zone that the plan does not hold. */
  onJob(job: Job): Promise<void> {
    if ((job.type !== 'collection' && job.type !== 'pumping') || job.status !== 'open' || !job.zone) return Promise.resolve();
    return this.queue.run(async () => {
      for (const plan of await this.plans.repository.withStatus('published', job.zone!)) {
        const stops = plan.routes.flatMap((r) => r.stops.filter((s) => s.kind === 'collect'));
        // A bin plan takes bins, a septic plan tanks; a stop it already holds is not added twice.
        if (stops.some((s) => s.deviceId === job.deviceId) || (stops.length && !stops.some((s) => s.deviceKind === job.deviceKind))) continue;
        const why = `new ${job.type} job ${job.jobId} for ${job.deviceId}`;
        try {
          await this.replan(plan, { add: job.deviceId }, SYSTEM, why);
        } catch (err) {
          // A dispatcher's edit got in between: once more on the version they saved.
          if (!(err instanceof RoutingException && err.code === RoutingExceptionCode.STALE_VERSION)) throw err;
          await this.replan(await this.plans.get(plan.planId), { add: job.deviceId }, SYSTEM, why);
        }
      }
    });
  }

  breakdown(planId: string, body: VehicleBreakdownRequest, by: string): Promise<RoutePlan> {
    let result: Promise<RoutePlan> | undefined;
    const run = this.queue.run(async () => {
      result = (async () => {
        const plan = await this.plans.get(planId);
        if (plan.status !== 'published' && plan.status !== 'draft') {
          throw new RoutingException(RoutingExceptionCode.ILLEGAL_STATE, `plan "${planId}" is ${plan.status}: only a draft or published plan can lose a truck`);
        }
        const route = plan.routes.find((r) => r.vehicleId === body.vehicleId);
        if (!route || route.progress?.withdrawn) throw new RoutingException(RoutingExceptionCode.VEHICLE_NOT_IN_PLAN, `vehicleId: vehicle "${body.vehicleId}" has no active route in plan "${planId}"`);
        if (plan.routes.filter((r) => !r.progress?.withdrawn).length < 2) {
          throw new RoutingException(RoutingExceptionCode.ILLEGAL_STATE, `vehicleId: "${body.vehicleId}" is the plan's only truck; its stops have nowhere to go`);
        }
        return this.replan(plan, { withdraw: body.vehicleId }, by, `breakdown of ${route.vehicleName}: ${body.note}`);
      })();
      await result.catch(() => undefined);
    });
    return run.then(() => result!);
  }

  /**
   * Splits each route into what is done (kept as is), under way (fixed prefix) and still to do,
   * re-solves the rest from each truck's current position, merges and re-syncs the jobs.
   */
  private async replan(plan: RoutePlan, change: { add?: string; withdraw?: string }, by: string, why: string): Promise<RoutePlan> {
    const now = this.plans.clock.now();
    const statuses = plan.status === 'published' ? await this.plans.planJobs.statuses(plan) : new Map();
    const done = new Map<string, PlanStop[]>();
    const forced = new Set<string>(change.add ? [change.add] : []);
    const fixedPrefix = new Map<string, string[]>();
    const locked = new Map<string, string>();
    const starts = new Map<string, { at: number; lat: number; lon: number; loadKg: number }>();
    const active = plan.routes.filter((r) => !r.progress?.withdrawn && r.vehicleId !== change.withdraw);
    const live = new Map((await this.plans.inputs.vehicles(active.map((r) => r.vehicleId))).map((v) => [v.vehicleId, v]));
    for (const route of plan.routes) {
      const keep: PlanStop[] = [];
      const stays = active.includes(route);
      for (const stop of route.stops) {
        if (stop.kind === 'end') continue;
        const status = statuses.get(stop.stopId);
        if (stop.kind !== 'collect') {
          // Start and unloads before the first open collect are history.
          if (keep.length === route.stops.indexOf(stop) && (stop.kind === 'start' || plan.status === 'published')) keep.push(stop);
          continue;
        }
        if (PlanJobsService.isDone(status, stop.progress)) {
          keep.push(stop);
          continue;
        }
        forced.add(stop.deviceId!);
        if (stays && PlanJobsService.isUnderWay(status, stop.progress)) fixedPrefix.set(route.vehicleId, [...(fixedPrefix.get(route.vehicleId) ?? []), stop.deviceId!]);
        else if (stays && stop.locked) locked.set(stop.deviceId!, route.vehicleId);
      }
      done.set(route.vehicleId, keep);
      if (stays && plan.status === 'published') {
        const v = live.get(route.vehicleId);
        const last = keep[keep.length - 1]!;
        const at = v?.position ?? { lat: last.lat, lon: last.lon };
        starts.set(route.vehicleId, { at: now, lat: at.lat, lon: at.lon, loadKg: v?.loadKg ?? last.loadAfterKg });
      }
    }
    const solved = await this.plans.resolve(plan, { forced, onlyForced: true, fixedPrefix, locked, starts }, ROUTING_DEFAULTS.REPLAN_LIMIT_MS, false, active.map((r) => r.vehicleId));
    const byVehicle = new Map(solved.routes.map((r) => [r.vehicleId, r]));
    for (const route of plan.routes) {
      const kept = done.get(route.vehicleId) ?? [];
      const fresh = byVehicle.get(route.vehicleId);
      if (!fresh) {
        // Withdrawn: what it did, then nothing.
        route.stops = kept;
        route.progress = { ...(route.progress ?? blankProgress()), withdrawn: true };
        continue;
      }
      const previous = new Map(route.stops.map((s) => [s.stopId, s]));
      let unloads = kept.filter((s) => s.kind === 'unload').length;
      const next = fresh.stops
        .filter((s) => !(s.kind === 'start' && kept.length))
        .map((s) => {
          const old = previous.get(s.stopId) ?? plan.routes.flatMap((r) => r.stops).find((o) => o.stopId === s.stopId);
          if (s.kind === 'unload') s.stopId = stopIdOf.unload(route.vehicleId, ++unloads);
          // A stop keeps its job, progress and lock across the re-plan.
          return old && s.kind === 'collect' ? { ...s, jobId: old.jobId, progress: old.progress, actualArriveAt: old.actualArriveAt, locked: old.locked } : s;
        });
      route.stops = [...kept, ...next];
      route.distanceM = fresh.distanceM;
      route.durationS = fresh.durationS;
    }
    await this.plans.solver.drawPaths(plan.routes);
    const gone = new Set(solved.leftOut.map((l) => l.deviceId));
    plan.leftOut = [...plan.leftOut.filter((l) => l.deviceId !== change.add && !gone.has(l.deviceId)), ...solved.leftOut];
    const s = solved.summary;
    plan.summary = summarize(plan.routes, plan.leftOut, s.feasible, s.travel, s.solveMs, s.iterations);
    if (plan.status === 'published') await this.plans.planJobs.sync(plan, by, 're-planned');
    return this.plans.commit(plan, plan.version, { by, action: 'replanned', note: why }, 'replanned');
  }
}
