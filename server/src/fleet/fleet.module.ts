import { Module } from '@nestjs/common';
import { AlarmsModule } from '../alarms/alarms.module.js';
import { DevicesModule } from '../devices/devices.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { JobsService } from '../jobs/jobs.service.js';
import { AssignmentService } from './assignment.service.js';
import { CrewsController } from './crews.controller.js';
import { CustodyRepository } from './custody.repository.js';
import { CustodyService } from './custody.service.js';
import { DisposalSitesController } from './disposal-sites.controller.js';
import { FleetLiveStore } from './fleet-live.store.js';
import { FLEET_JOBS } from './fleet-jobs.port.js';
import { FleetUnitsService } from './fleet-units.service.js';
import { FleetRepository } from './fleet.repository.js';
import { FleetRuntime } from './fleet.runtime.js';
import { ProofService } from './proof.service.js';
import { SepticTanksCache } from './septic-tanks.cache.js';
import { ServiceJobsCache } from './service-jobs.cache.js';
import { VehiclesController } from './vehicles.controller.js';

/**
 * Vehicles, crews, disposal sites; assignment proposals; proof of service; septic chain of custody.
 * Depends on jobs (JobsService) and alarms (INCIDENT_SINK); they never import the fleet.
 */
@Module({
  imports: [JobsModule, AlarmsModule, DevicesModule, IngestModule],
  controllers: [VehiclesController, CrewsController, DisposalSitesController],
  providers: [
    { provide: FLEET_JOBS, useExisting: JobsService },
    FleetRepository,
    CustodyRepository,
    FleetLiveStore,
    FleetUnitsService,
    ServiceJobsCache,
    SepticTanksCache,
    AssignmentService,
    ProofService,
    CustodyService,
    FleetRuntime,
  ],
  exports: [FleetUnitsService, FleetLiveStore, AssignmentService, CustodyService],
})
export class FleetModule {}
