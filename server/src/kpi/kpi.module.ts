import { Module } from '@nestjs/common';
import { InfluxQueryClient } from '../history/influx-query.client.js';
import { KpiController } from './kpi.controller.js';
import { KpiRepository } from './kpi.repository.js';
import { KpiService } from './kpi.service.js';
import { TrailController } from './trail.controller.js';

/**
 * GET /api/kpi, /api/kpi/trend and /api/vehicles/:id/trail. HistoryModule does not export its
 * InfluxQueryClient, so this module provides its own instance of the same class (stateless).
 */
@Module({
  controllers: [KpiController, TrailController],
  providers: [InfluxQueryClient, KpiRepository, KpiService],
})
export class KpiModule {}
