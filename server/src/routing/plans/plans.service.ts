import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { createPlanSchema, ListPlansQuery, LockStopRequest, MoveStopRequest, PlanChangedEvent, RoutePlan, RoutePlanListItem } from '@sanitation/contracts';
import type { z } from 'zod';
import { CLOCK, type Clock } from '../../clock/clock.js';
import { SERVER_CONFIG, type ServerConfig } from '../../config/server.config.js';
import { DomainEvents } from '../../events/domain-events.js';
import { ROUTING_DEFAULTS } from '../routing.defaults.js';
import { RoutingException, RoutingExceptionCode } from '../routing.exception.js';
import { cityTime, type CityTime } from './city-time.js';
import { PlanInputsService } from './plan-inputs.service.js';
import { PlanJobsService } from './plan-jobs.service.js';
import { PlanSolver, summarize } from './plan-solver.js';
import { planBbox } from './plan-geometry.js';
import { PlansRepository, type HistoryEntry } from './plans.repository.js';
import { buildProblem, type PlanConstraints } from './problem-builder.js';
import { retimeRoute } from './route-timing.js';

type CreatePlan = z.output<typeof createPlanSchema>;

/**
 * Route plans: create (solve in a worker), edit (lock, move, optimise — each names the version it
 * was made on, 409 when stale), publish (jobs in route order), cancel. Re-plans during the shift
 * live in ReplanService.
 */
@Injectable()
export class PlansService {
  readonly city: CityTime;

  constructor(
    readonly repository: PlansRepository,
    readonly inputs: PlanInputsService,
    readonly solver: PlanSolver,
    readonly planJobs: PlanJobsService,
    private readonly events: DomainEvents,
    @Inject(CLOCK) readonly clock: Clock,
    @Inject(SERVER_CONFIG) config: ServerConfig,
  ) {
    this.city = cityTime(config.CITY_TIME_ZONE);
  }

  async create(req: CreatePlan, by: string): Promise<RoutePlan> {
    const now = this.clock.now();
    const date = req.date ?? this.city.dateOf(now);
    const vehicles = await this.inputs.vehicles(req.vehicleIds);
    const kind = vehicles.every((v) => v.skill === 'septic') ? 'septic' : 'bin';
    const bins = await this.inputs.bins(req.zone, kind, now);
    if (!bins.length) throw new RoutingException(RoutingExceptionCode.NO_BINS, `zone: zone "${req.zone}" has no registered ${kind === 'bin' ? 'bins' : 'septic tanks'}`);
    const params = { date, collectAtPct: req.collectAtPct, timeWindows: req.timeWindows, ...(req.nextRoundAt ? { nextRoundAt: Date.parse(req.nextRoundAt) } : {}) };
    const built = await buildProblem({ now, city: this.city, defaults: ROUTING_DEFAULTS, bins, vehicles, params }, this.solver.matrix);
    const solved = await this.solver.solve(built, req.seed, req.timeLimitS * 1000, true, req.balance);
    const plan: RoutePlan = {
      planId: randomUUID(),
      zone: req.zone,
      date,
      status: 'draft',
      version: 1,
      createdAt: new Date(now).toISOString(),
      createdBy: by,
      publishedAt: null,
      publishedBy: null,
      params: { vehicleIds: req.vehicleIds, collectAtPct: req.collectAtPct, nextRoundAt: new Date(built.nextRoundAt).toISOString(), timeLimitS: req.timeLimitS, seed: req.seed, balance: req.balance },
      ...solved,
      history: [],
    };
    const entry = { at: now, by, action: 'created', note: `${solved.summary.stops} stops on ${solved.summary.routes} routes, ${solved.leftOut.length} left out` };
    await this.repository.insert(plan, entry);
    return this.announce(plan.planId, 'created');
  }

  list(query: ListPlansQuery): Promise<RoutePlanListItem[]> {
    return this.repository.list(query);
  }

  async get(planId: string): Promise<RoutePlan> {
    const plan = await this.repository.find(planId);
    if (!plan) throw RoutingException.notFound(planId);
    return plan;
  }

  /** The plan at `version`, else 409 (stale) / 404. */
  async at(planId: string, version: number): Promise<RoutePlan> {
    const plan = await this.get(planId);
    if (plan.version !== version) throw RoutingException.stale(planId, version, plan.version);
    return plan;
  }

  private static editable(plan: RoutePlan, what: string, statuses: RoutePlan['status'][] = ['draft', 'published']): void {
    if (!statuses.includes(plan.status)) {
      throw new RoutingException(RoutingExceptionCode.ILLEGAL_STATE, `plan "${plan.planId}" is ${plan.status}: cannot ${what} (only a ${statuses.join(' or ')} plan)`);
    }
  }

  async lock(planId: string, stopId: string, body: LockStopRequest, by: string): Promise<RoutePlan> {
    const plan = await this.at(planId, body.version);
    PlansService.editable(plan, 'lock stops');
    const stop = plan.routes.flatMap((r) => r.stops).find((s) => s.stopId === stopId && s.kind === 'collect');
    if (!stop) throw new RoutingException(RoutingExceptionCode.STOP_NOT_FOUND, `stopId: plan "${planId}" has no collect stop "${stopId}"`);
    stop.locked = body.locked;
    return this.commit(plan, body.version, { by, action: body.locked ? 'locked' : 'unlocked', note: stopId }, 'edited');
  }

  async move(planId: string, body: MoveStopRequest, by: string): Promise<RoutePlan> {
    const plan = await this.at(planId, body.version);
    PlansService.editable(plan, 'move stops');
    const from = plan.routes.find((r) => r.stops.some((s) => s.stopId === body.stopId && s.kind === 'collect'));
    const to = plan.routes.find((r) => r.vehicleId === body.toVehicleId);
    if (!from) throw new RoutingException(RoutingExceptionCode.STOP_NOT_FOUND, `stopId: plan "${planId}" has no collect stop "${body.stopId}"`);
    if (!to || to.progress?.withdrawn) throw new RoutingException(RoutingExceptionCode.VEHICLE_NOT_IN_PLAN, `toVehicleId: vehicle "${body.toVehicleId}" has no route in plan "${planId}"`);
    const index = from.stops.findIndex((s) => s.stopId === body.stopId);
    const stop = from.stops[index]!;
    const status = stop.jobId ? (await this.planJobs.statuses({ ...plan, routes: [{ ...from, stops: [stop] }] })).get(stop.stopId) : undefined;
    const state = status && status !== 'open' && status !== 'assigned' ? status : stop.progress;
    if (state !== 'planned') {
      throw new RoutingException(RoutingExceptionCode.NOT_MOVABLE, `stopId: stop "${body.stopId}" is ${state}; only stops not yet under way move`);
    }
    from.stops.splice(index, 1);
    // toIndex counts collect stops; insert before the toIndex-th one, else right after the last
    // collect (before the closing unload), else before the end.
    const collects = to.stops.map((s, i) => (s.kind === 'collect' ? i : -1)).filter((i) => i >= 0);
    const at = collects[body.toIndex] ?? (collects.length ? collects[collects.length - 1]! + 1 : to.stops.length - 1);
    to.stops.splice(at, 0, { ...stop, locked: true });
    let feasible = true;
    for (const route of new Set([from, to])) {
      const matrix = await this.solver.matrix(route.stops.map((s) => ({ lat: s.lat, lon: s.lon })));
      feasible = retimeRoute(route, matrix, ROUTING_DEFAULTS) && feasible;
    }
    await this.solver.drawPaths([...new Set([from, to])]);
    plan.summary = { ...summarize(plan.routes, plan.leftOut, feasible && plan.summary.feasible, plan.summary.travel, 0, 0), solveMs: plan.summary.solveMs, iterations: plan.summary.iterations };
    if (plan.status === 'published') await this.planJobs.sync(plan, by, 'stop moved');
    return this.commit(plan, body.version, { by, action: 'moved', note: `${body.stopId} → ${to.vehicleName} #${body.toIndex + 1}` }, 'edited');
  }

  /** Re-solves a draft keeping its locked stops on their trucks; bins that now qualify come in. */
  async optimize(planId: string, body: { version: number; timeLimitS?: number | undefined }, by: string): Promise<RoutePlan> {
    const plan = await this.at(planId, body.version);
    PlansService.editable(plan, 'optimise', ['draft']);
    const collects = plan.routes.flatMap((r) => r.stops.filter((s) => s.kind === 'collect').map((s) => ({ s, vehicleId: r.vehicleId })));
    const constraints: PlanConstraints = {
      forced: new Set(collects.map((c) => c.s.deviceId!)),
      locked: new Map(collects.filter((c) => c.s.locked).map((c) => [c.s.deviceId!, c.vehicleId])),
    };
    const timeLimitS = body.timeLimitS ?? plan.params.timeLimitS;
    // A truck withdrawn (breakdown) stays out, its route kept as it is.
    const withdrawn = plan.routes.filter((r) => r.progress?.withdrawn);
    const vehicleIds = plan.routes.filter((r) => !r.progress?.withdrawn).map((r) => r.vehicleId);
    const solved = await this.resolve(plan, constraints, timeLimitS * 1000, true, vehicleIds);
    Object.assign(plan, solved);
    plan.routes.push(...withdrawn);
    plan.params.timeLimitS = timeLimitS;
    return this.commit(plan, body.version, { by, action: 'optimised', note: `${solved.summary.stops} stops, ${Math.round(solved.summary.distanceM / 100) / 10} km` }, 'optimised');
  }

  /** Builds and solves the plan's problem again from the current fleet and forecasts. */
  async resolve(plan: RoutePlan, constraints: PlanConstraints, timeLimitMs: number, refine: boolean, vehicleIds = plan.params.vehicleIds) {
    const now = this.clock.now();
    const vehicles = await this.inputs.vehicles(vehicleIds);
    const kind = vehicles.every((v) => v.skill === 'septic') ? 'septic' : 'bin';
    const bins = await this.inputs.bins(plan.zone, kind, now);
    for (const id of constraints.forced ?? []) if (!bins.some((b) => b.deviceId === id)) {
      const bin = this.inputs.binOf(id, now);
      if (bin) bins.push(bin);
    }
    const params = { date: plan.date, collectAtPct: plan.params.collectAtPct, nextRoundAt: Date.parse(plan.params.nextRoundAt), timeWindows: timeWindowsOf(plan, this.city) };
    const built = await buildProblem({ now, city: this.city, defaults: ROUTING_DEFAULTS, bins, vehicles, params, constraints }, this.solver.matrix);
    return this.solver.solve(built, plan.params.seed, timeLimitMs, refine, plan.params.balance ?? true);
  }

  async publish(planId: string, version: number, by: string): Promise<RoutePlan> {
    const plan = await this.at(planId, version);
    PlansService.editable(plan, 'publish', ['draft']);
    await this.planJobs.sync(plan, by, 'published');
    plan.status = 'published';
    plan.publishedAt = new Date(this.clock.now()).toISOString();
    plan.publishedBy = by;
    return this.commit(plan, version, { by, action: 'published', note: `${plan.summary.stops} jobs assigned in route order` }, 'published');
  }

  async cancel(planId: string, version: number, by: string): Promise<RoutePlan> {
    const plan = await this.at(planId, version);
    PlansService.editable(plan, 'cancel');
    plan.status = 'cancelled';
    return this.commit(plan, version, { by, action: 'cancelled' }, 'cancelled');
  }

  /** Stores the next version; 409 when another edit got there first. */
  async commit(plan: RoutePlan, expected: number, entry: Omit<HistoryEntry, 'at'>, change: PlanChangedEvent['change']): Promise<RoutePlan> {
    plan.version = expected + 1;
    if (!(await this.repository.update(plan, expected, { ...entry, at: this.clock.now() }))) {
      const current = await this.get(plan.planId);
      throw RoutingException.stale(plan.planId, expected, current.version);
    }
    return this.announce(plan.planId, change);
  }

  async announce(planId: string, change: PlanChangedEvent['change']): Promise<RoutePlan> {
    const plan = await this.get(planId);
    this.events.emit({ type: 'plan', event: { plan, change }, bbox: planBbox(plan) });
    return plan;
  }
}

/** The windows the stops carry, back as HH:MM (optimise keeps the request's collection hours). */
function timeWindowsOf(plan: RoutePlan, city: CityTime): { deviceIds: string[]; from: string; to: string }[] {
  const out = new Map<string, { deviceIds: string[]; from: string; to: string }>();
  const stops = plan.routes.flatMap((r) => r.stops);
  for (const s of stops) {
    if (s.kind !== 'collect' || !s.windowFrom || !s.windowTo || !s.deviceId) continue;
    const from = city.format(Date.parse(s.windowFrom)).slice(11);
    const to = city.format(Date.parse(s.windowTo)).slice(11);
    const key = `${from}-${to}`;
    if (!out.has(key)) out.set(key, { deviceIds: [], from, to });
    out.get(key)!.deviceIds.push(s.deviceId);
  }
  return [...out.values()];
}
