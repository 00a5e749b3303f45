import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module.js';
import { KpiController } from './kpi.controller.js';
import { KpiRepository } from './kpi.repository.js';
import { KpiService } from './kpi.service.js';
import { TrailController } from './trail.controller.js';

/** GET /api/kpi, /api/kpi/trend and /api/vehicles/:id/trail (InfluxQL through HistoryModule's client). */
@Module({
  imports: [HistoryModule],
  controllers: [KpiController, TrailController],
  providers: [KpiRepository, KpiService],
})
export class KpiModule {}
