import { Injectable } from '@nestjs/common';
import type { RoutePlan } from '@sanitation/contracts';
import { DomainEvents } from '../../events/domain-events.js';
import type { PublishedPlansPort, RouteProgressUpdate } from '../progress/published-plans.port.js';
import { planBbox } from './plan-geometry.js';
import { PlansService } from './plans.service.js';

/**
 * What live tracking reads and writes of the plans (provided under PUBLISHED_PLANS). Progress is
 * stored without a version bump (it is not an edit) and forwarded as `plan:progress`.
 */
@Injectable()
export class PublishedPlansAdapter implements PublishedPlansPort {
  constructor(
    private readonly plans: PlansService,
    private readonly events: DomainEvents,
  ) {}

  published(): Promise<RoutePlan[]> {
    return this.plans.repository.withStatus('published');
  }

  async saveProgress(planId: string, routes: RouteProgressUpdate[]): Promise<void> {
    const plan = await this.plans.repository.find(planId);
    if (!plan || plan.status !== 'published') return;
    const updates = new Map(routes.map((r) => [r.vehicleId, r]));
    for (const route of plan.routes) {
      const u = updates.get(route.vehicleId);
      if (!u) continue;
      // A withdrawn truck stays withdrawn whatever the tracker thinks.
      route.progress = { ...u.progress, withdrawn: route.progress?.withdrawn === true || u.progress.withdrawn };
      const byStop = new Map(u.stops.map((s) => [s.stopId, s]));
      for (const stop of route.stops) {
        const s = byStop.get(stop.stopId);
        if (s) Object.assign(stop, { progress: s.progress, actualArriveAt: s.actualArriveAt, etaAt: s.etaAt });
      }
    }
    await this.plans.repository.saveBody(plan);
    this.events.emit({ type: 'plan-progress', zone: plan.zone, bbox: planBbox(plan), event: { planId, version: plan.version, routes } });
  }

  async complete(planId: string): Promise<void> {
    const plan = await this.plans.repository.find(planId);
    if (!plan || plan.status !== 'published') return;
    plan.status = 'completed';
    await this.plans.commit(plan, plan.version, { by: 'system', action: 'completed', note: 'every collect stop done or skipped' }, 'completed');
  }
}
