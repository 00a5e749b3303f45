import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { HealthResponse } from '@sanitation/contracts';
import { Public } from '../auth/auth.decorators.js';
import { HealthService } from './health.service.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Always 200 while the process serves HTTP (start-up scripts wait on it); `status` says degraded. */
  @Get()
  @Public()
  @ApiOperation({ summary: 'Health of the server and each dependency (database, influxdb, mqtt)' })
  @ApiResponse({ status: 200, description: 'HealthResponse { status: ok|degraded, dependencies }' })
  check(): Promise<HealthResponse> {
    return this.health.check();
  }
}
