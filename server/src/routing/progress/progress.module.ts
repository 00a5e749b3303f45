import { Module } from '@nestjs/common';
import { AlarmsModule } from '../../alarms/alarms.module.js';
import { FleetModule } from '../../fleet/fleet.module.js';
import { RoutingModule } from '../routing.module.js';
import { RouteProgressService } from './route-progress.service.js';

/**
 * Live tracking of published plans. Reads and writes plans through PUBLISHED_PLANS (exported by
 * RoutingModule), so it sits beside RoutingModule in the app, not inside it.
 */
@Module({
  imports: [RoutingModule, AlarmsModule, FleetModule],
  providers: [RouteProgressService],
  exports: [RouteProgressService],
})
export class ProgressModule {}
