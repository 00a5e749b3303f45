import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HISTORY_AGGREGATES, HISTORY_MAX_POINTS, deviceHistoryQuerySchema, type DeviceHistoryQuery, type DeviceHistoryResponse } from '@sanitation/contracts';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { HistoryService } from './history.service.js';

@ApiTags('devices')
@ApiBearerAuth()
@Controller('devices')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  /** Any operator role may read history. */
  @Get(':id/history')
  @ApiOperation({ summary: "A device's readings aggregated per time window (InfluxQL GROUP BY time(window))" })
  @ApiParam({ name: 'id' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601 start (inclusive); default to − 24 h' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601 end (exclusive); default now' })
  @ApiQuery({ name: 'window', required: false, description: `30s, 5m, 1h, 1d, 1w; default 5m; at most ${HISTORY_MAX_POINTS} windows per answer` })
  @ApiQuery({ name: 'fields', required: false, description: "comma-separated fields of the device's kind; default all" })
  @ApiQuery({ name: 'agg', required: false, enum: HISTORY_AGGREGATES, description: 'default mean (booleans: max)' })
  @ApiResponse({ status: 200, description: 'DeviceHistoryResponse { deviceId, kind, from, to, window, aggregates, fields, points: [{ time, values }] }' })
  @ApiResponse({ status: 400, description: 'a parameter is invalid (named in the message)' })
  @ApiResponse({ status: 404, description: 'no such device' })
  @ApiResponse({ status: 503, description: 'InfluxDB unreachable' })
  get(
    @Param('id') id: string,
    @Query(new ZodValidationPipe(deviceHistoryQuerySchema, '(query)')) query: DeviceHistoryQuery,
  ): Promise<DeviceHistoryResponse> {
    return this.history.history(id, query);
  }
}
