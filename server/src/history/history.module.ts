import { Module } from '@nestjs/common';
import { DevicesModule } from '../devices/devices.module.js';
import { HistoryController } from './history.controller.js';
import { HistoryService } from './history.service.js';
import { InfluxQueryClient } from './influx-query.client.js';

/** GET /api/devices/:id/history from InfluxDB. */
@Module({
  imports: [DevicesModule],
  controllers: [HistoryController],
  providers: [InfluxQueryClient, HistoryService],
})
export class HistoryModule {}
