import { Module, type DynamicModule } from '@nestjs/common';
import { AlarmsModule } from './alarms/alarms.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CommandsModule } from './commands/commands.module.js';
import { CoreModule, type CoreDependencies } from './core.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { EventsModule } from './events/domain-events.js';
import { FleetModule } from './fleet/fleet.module.js';
import { HealthModule } from './health/health.module.js';
import { HistoryModule } from './history/history.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { KpiModule } from './kpi/kpi.module.js';
import { LiveModule } from './live/live.module.js';
import { MapModule } from './map/map.module.js';
import { ProgressModule } from './routing/progress/progress.module.js';
import { RoutingModule } from './routing/routing.module.js';
import { RuleConfigModule } from './rule-config/rule-config.module.js';
import { RulesEngineModule } from './rules-engine/rules-engine.module.js';
import { SchedulerModule } from './scheduler/scheduler.module.js';
import { ZonesModule } from './zones/zones.module.js';

@Module({})
export class AppModule {
  static forRoot(deps: CoreDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps),
        EventsModule,
        SchedulerModule,
        AuthModule,
        DevicesModule,
        ZonesModule,
        IngestModule,
        HealthModule,
        RuleConfigModule,
        AlarmsModule,
        JobsModule,
        FleetModule,
        RulesEngineModule,
        LiveModule,
        HistoryModule,
        KpiModule,
        CommandsModule,
        MapModule,
        RoutingModule,
        ProgressModule,
      ],
    };
  }
}
