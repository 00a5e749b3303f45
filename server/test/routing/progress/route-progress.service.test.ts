import type { RoutePlan } from '@sanitation/contracts';
import { describe, expect, it } from 'vitest';
import type { ConditionReport, IncidentSink } from '../../../src/alarms/incident-sink.js';
import { ManualClock } from '../../../src/clock/clock.js';
import { DomainEvents, type DomainEvent } from '../../../src/events/domain-events.js';
import { createLogger } from '../../../src/logging/logger.js';
import type { PublishedPlansPort, RouteProgressUpdate } from '../../../src/routing/progress/published-plans.port.js';
import { RouteProgressService } from '../../../src/routing/progress/route-progress.service.js';
import { fix, job, MIN, onePlan, T0 } from './plan.fixture.js';

class FakePlans implements PublishedPlansPort {
  plans: RoutePlan[] = [onePlan()];
  saved: { planId: string; routes: RouteProgressUpdate[] }[] = [];
  completed: string[] = [];
  published() {
    return Promise.resolve(this.plans.filter((p) => p.status === 'published'));
  }
  saveProgress(planId: string, routes: RouteProgressUpdate[]) {
    this.saved.push({ planId, routes });
    return Promise.resolve();
  }
  complete(planId: string) {
    this.completed.push(planId);
    this.plans = this.plans.map((p) => (p.planId === planId ? { ...p, status: 'completed' as const } : p));
    return Promise.resolve();
  }
}

class FakeIncidents implements IncidentSink {
  open = new Map<string, ConditionReport>();
  cleared: string[] = [];
  raise(report: ConditionReport) {
    this.open.set(`${report.subjectId}/${report.cause}`, report);
    return Promise.resolve();
  }
  clear(subjectId: string, cause: string, _at: number, reason: string) {
    if (this.open.delete(`${subjectId}/${cause}`)) this.cleared.push(reason);
    return Promise.resolve();
  }
  setUnsafe() {
    return Promise.resolve();
  }
}

async function setup() {
  const events = new DomainEvents();
  const seen: DomainEvent[] = [];
  events.events$.subscribe((e) => seen.push(e));
  const plans = new FakePlans();
  const incidents = new FakeIncidents();
  const clock = new ManualClock(T0);
  const units = { vehicleByDevice: (d: string) => (d === 'gps-1' ? ({ vehicleId: 'truck-1' } as never) : undefined) };
  const service = new RouteProgressService(events, plans, incidents, units, clock, createLogger('silent'));
  service.onModuleInit();
  await service.refresh();
  return { events, seen, plans, incidents, clock, service };
}

describe('route progress service', () => {
  it('a truck off its route for 3 min raises an off-route alarm on the truck and a plan:off-route event; back on route resolves it', async () => {
    const { events, seen, incidents, clock, service } = await setup();
    for (let s = 0; s <= 180; s += 30) {
      clock.set(T0 + s * 1000);
      events.emit({ type: 'truck', position: fix(500, T0 + s * 1000, 400, null) });
    }
    await service.flush();
    const alarm = incidents.open.get('gps-1/off-route');
    expect(alarm).toMatchObject({ deviceKind: 'truck', zone: 'z1', message: 'Truck 1 is 400 m off its planned route', details: { planId: 'plan-1', vehicleId: 'truck-1' } });
    const offRoute = seen.filter((e) => e.type === 'plan-off-route');
    expect(offRoute).toHaveLength(1);
    expect(offRoute[0]).toMatchObject({ zone: 'z1', event: { planId: 'plan-1', vehicleId: 'truck-1', offRouteM: 400 } });
    events.emit({ type: 'truck', position: fix(600, T0 + 4 * MIN) });
    await service.flush();
    expect(incidents.open.size).toBe(0);
    expect(incidents.cleared[0]).toMatch(/back on the planned route/);
    service.onModuleDestroy();
  });

  it('job changes are saved as progress; the last collect stop done completes the plan', async () => {
    const { events, plans, service } = await setup();
    events.emit({ type: 'job', job: job('job-a', 'on_site', T0 + 6 * MIN) });
    await service.flush();
    const last = plans.saved.at(-1)!;
    expect(last.planId).toBe('plan-1');
    expect(last.routes[0]!.stops.find((s) => s.stopId === 'a')).toMatchObject({ progress: 'on_site', actualArriveAt: new Date(T0 + 6 * MIN).toISOString() });
    expect(last.routes[0]!.progress.delayS).toBe(60);
    const savedBefore = plans.saved.length;
    await service.flush();
    expect(plans.saved.length).toBe(savedBefore); // nothing changed, nothing saved
    events.emit({ type: 'job', job: job('job-a', 'done', T0 + 10 * MIN) });
    events.emit({ type: 'job', job: job('job-b', 'done', T0 + 20 * MIN) });
    await service.flush();
    expect(plans.completed).toEqual(['plan-1']);
    expect(plans.saved.at(-1)!.routes[0]!.progress.doneStops).toBe(2);
    // a plan change re-reads the plans: the completed one is no longer tracked
    events.emit({ type: 'plan', event: { plan: plans.plans[0]!, change: 'completed' }, bbox: null });
    await service.flush();
    expect(service.tracker.snapshot('plan-1')).toBeNull();
    service.onModuleDestroy();
  });
});
