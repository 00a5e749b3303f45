import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ALARM_STATUSES,
  alarmActionSchema,
  listAlarmsQuerySchema,
  resolveAlarmSchema,
  SEVERITIES,
  type Alarm,
  type ListAlarmsQuery,
  type Paged,
} from '@sanitation/contracts';
import type { z } from 'zod';
import { Roles } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { AlarmsService } from './alarms.service.js';

@ApiTags('alarms')
@ApiBearerAuth()
@Controller('alarms')
export class AlarmsController {
  constructor(private readonly alarms: AlarmsService) {}

  @Get()
  @ApiOperation({ summary: 'List alarms, filtered and paged: unresolved first, then most severe, then newest' })
  @ApiQuery({ name: 'status', required: false, description: `comma-separated: ${ALARM_STATUSES.join(', ')}` })
  @ApiQuery({ name: 'severity', required: false, description: `comma-separated: ${SEVERITIES.join(', ')}` })
  @ApiQuery({ name: 'cause', required: false, description: 'comma-separated causes' })
  @ApiQuery({ name: 'kind', required: false, description: 'comma-separated device kinds' })
  @ApiQuery({ name: 'zone', required: false })
  @ApiQuery({ name: 'deviceId', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 100' })
  @ApiQuery({ name: 'offset', required: false, description: 'default 0' })
  @ApiResponse({ status: 200, description: '{ items: Alarm[], total }' })
  list(@Query(new ZodValidationPipe(listAlarmsQuerySchema, '(query)')) query: ListAlarmsQuery): Promise<Paged<Alarm>> {
    return this.alarms.list(query);
  }

  @Get(':id')
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 200, description: 'Alarm with history' })
  @ApiResponse({ status: 404, description: 'no such alarm' })
  get(@Param('id') id: string): Promise<Alarm> {
    return this.alarms.get(id);
  }

  @Post(':id/ack')
  @Roles('dispatcher', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge an open alarm (stops escalation)' })
  @ApiBody({ schema: openApiSchema(alarmActionSchema) })
  @ApiResponse({ status: 200, description: 'Alarm with history' })
  @ApiResponse({ status: 409, description: 'already acknowledged or resolved' })
  acknowledge(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(alarmActionSchema)) body: z.output<typeof alarmActionSchema>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Alarm> {
    return this.alarms.acknowledge(id, request.operator!.username, body.note);
  }

  @Post(':id/resolve')
  @Roles('dispatcher', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve by hand; `note` says why. A linked job stays open.' })
  @ApiBody({ schema: openApiSchema(resolveAlarmSchema) })
  @ApiResponse({ status: 200, description: 'Alarm with history' })
  @ApiResponse({ status: 409, description: 'already resolved' })
  resolve(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(resolveAlarmSchema)) body: z.output<typeof resolveAlarmSchema>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Alarm> {
    return this.alarms.resolve(id, request.operator!.username, body.note);
  }
}
