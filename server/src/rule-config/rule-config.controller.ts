import { Body, Controller, Get, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  DEVICE_KINDS,
  effectiveRulesQuerySchema,
  ruleHistoryQuerySchema,
  ruleTargetSchema,
  type DeviceKind,
  type EffectiveRulesResponse,
  type RuleOverride,
  type RulesResponse,
} from '@sanitation/contracts';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { RuleConfigService } from './rule-config.service.js';

const kindPipe = new ZodValidationPipe(z.enum(DEVICE_KINDS), 'kind');
const targetPipe = (name: string) => new ZodValidationPipe(ruleTargetSchema, name);
const who = (req: AuthenticatedRequest): string => req.operator?.username ?? 'unknown';

@ApiTags('rules')
@ApiBearerAuth()
@Controller('rules')
export class RuleConfigController {
  constructor(private readonly rules: RuleConfigService) {}

  @Get()
  @ApiOperation({ summary: 'Default thresholds per kind and the current overrides (latest version of each)' })
  @ApiResponse({ status: 200, description: 'RulesResponse { defaults, overrides, kindOnlyFields }' })
  list(): RulesResponse {
    return this.rules.describe();
  }

  @Get('history')
  @ApiOperation({ summary: 'Every stored override version, newest first, with who and when' })
  @ApiQuery({ name: 'kind', required: false, enum: DEVICE_KINDS })
  @ApiQuery({ name: 'scope', required: false, enum: ['kind', 'zone', 'device'] })
  @ApiQuery({ name: 'target', required: false })
  history(@Query(new ZodValidationPipe(ruleHistoryQuerySchema, '(query)')) query: z.output<typeof ruleHistoryQuerySchema>): Promise<RuleOverride[]> {
    return this.rules.history(query);
  }

  @Get(':kind/effective')
  @ApiOperation({ summary: 'Effective thresholds for a device or zone: defaults ← kind ← zone ← device, with the source of each field' })
  @ApiParam({ name: 'kind', enum: DEVICE_KINDS })
  @ApiQuery({ name: 'deviceId', required: false })
  @ApiQuery({ name: 'zone', required: false })
  effective(
    @Param('kind', kindPipe) kind: DeviceKind,
    @Query(new ZodValidationPipe(effectiveRulesQuerySchema, '(query)')) query: z.output<typeof effectiveRulesQuerySchema>,
  ): EffectiveRulesResponse {
    return this.rules.effectiveFor(kind, query);
  }

  @Put(':kind')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Override thresholds for the whole kind (partial; null removes a field). Writes a new version.' })
  @ApiParam({ name: 'kind', enum: DEVICE_KINDS })
  putKind(@Param('kind', kindPipe) kind: DeviceKind, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<RuleOverride> {
    return this.rules.put(kind, 'kind', null, body, who(req));
  }

  @Put(':kind/zones/:zone')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Override thresholds for one zone (partial). Writes a new version.' })
  putZone(
    @Param('kind', kindPipe) kind: DeviceKind,
    @Param('zone', targetPipe('zone')) zone: string,
    @Body() body: unknown,
    @Req() req: AuthenticatedRequest,
  ): Promise<RuleOverride> {
    return this.rules.put(kind, 'zone', zone, body, who(req));
  }

  @Put(':kind/devices/:deviceId')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Override thresholds for one device (partial). Writes a new version.' })
  putDevice(
    @Param('kind', kindPipe) kind: DeviceKind,
    @Param('deviceId', targetPipe('deviceId')) deviceId: string,
    @Body() body: unknown,
    @Req() req: AuthenticatedRequest,
  ): Promise<RuleOverride> {
    return this.rules.put(kind, 'device', deviceId, body, who(req));
  }
}
