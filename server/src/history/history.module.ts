import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { HistoryController } from './history.controller.js';
import { HistoryService } from './history.service.js';
import { InfluxQueryClient } from './influx-query.client.js';

/** GET /api/devices/:id/history from InfluxDB; exports the InfluxQL client for other readers (KPIs). */
@Module({
  imports: [DevicesModule],
  controllers: [HistoryController],
  providers: [InfluxQueryClient, HistoryService],
  exports: [InfluxQueryClient],
})
export class HistoryModule {}
