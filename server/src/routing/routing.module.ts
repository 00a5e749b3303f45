import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { FleetModule } from '../fleet/fleet.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { MapModule } from '../map/map.module.js';
import { RulesEngineModule } from '../rules-engine/rules-engine.module.js';
import { PlanInputsService } from './plans/plan-inputs.service.js';
import { PlanJobsService } from './plans/plan-jobs.service.js';
import { PlanSolver, VRP_SOLVE } from './plans/plan-solver.js';
import { PlansController } from './plans/plans.controller.js';
import { PlansRepository } from './plans/plans.repository.js';
import { PlansService } from './plans/plans.service.js';
import { PublishedPlansAdapter } from './plans/published-plans.adapter.js';
import { ReplanService } from './plans/replan.service.js';
import { PUBLISHED_PLANS } from './progress/published-plans.port.js';
import { solveInWorker } from './solver/solver-worker.js';
import { TravelModule } from './travel/travel.module.js';

/**
 * Collection route planning: plans (create, edit, publish, re-plan) over the VRP solver and the
 * travel-time provider; live tracking reads published plans through PUBLISHED_PLANS.
 */
@Module({
  imports: [TravelModule, DevicesModule, FleetModule, JobsModule, MapModule, RulesEngineModule],
  controllers: [PlansController],
  providers: [
    // A worker thread: the server keeps serving while it plans.
    { provide: VRP_SOLVE, useValue: solveInWorker },
    PlansRepository,
    PlanInputsService,
    PlanSolver,
    PlanJobsService,
    PlansService,
    ReplanService,
    PublishedPlansAdapter,
    { provide: PUBLISHED_PLANS, useExisting: PublishedPlansAdapter },
  ],
  exports: [PUBLISHED_PLANS, PlansService],
})
export class RoutingModule {}
