import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { trailQuerySchema, type TrailQuery, type VehicleTrail } from '@sanitation/contracts';
import type { Response } from 'express';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { answer } from './kpi.controller.js';
import { trailCsv } from './kpi.csv.js';
import { KpiService } from './kpi.service.js';

@ApiTags('vehicles')
@ApiBearerAuth()
@Controller('vehicles')
export class TrailController {
  constructor(private readonly kpi: KpiService) {}

  /** Any operator role. */
  @Get(':id/trail')
  @ApiOperation({ summary: "A vehicle's GPS fixes in time order over [from, to) (≤ 7 days); ?format=csv for CSV" })
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 200, description: 'VehicleTrail { vehicleId, deviceId, from, to, fixes: [{ ts, lat, lon, speedKmh, headingDeg }] }' })
  @ApiResponse({ status: 400, description: 'a parameter is invalid (named in the message)' })
  @ApiResponse({ status: 404, description: 'no such vehicle' })
  async trail(
    @Param('id') id: string,
    @Query(new ZodValidationPipe(trailQuerySchema, '(query)')) q: TrailQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<VehicleTrail | string> {
    return answer(res, q.format, await this.kpi.trail(id, q), trailCsv, `trail-${id}`);
  }
}
