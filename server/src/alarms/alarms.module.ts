import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { AlarmsController } from './alarms.controller.js';
import { AlarmsRepository } from './alarms.repository.js';
import { AlarmsService } from './alarms.service.js';
import { INCIDENT_SINK } from './incident-sink.js';
import { IncidentsService } from './incidents.service.js';

@Module({
  imports: [JobsModule],
  controllers: [AlarmsController],
  providers: [AlarmsRepository, AlarmsService, IncidentsService, { provide: INCIDENT_SINK, useExisting: IncidentsService }],
  exports: [AlarmsService, IncidentsService, INCIDENT_SINK],
})
export class AlarmsModule {}
