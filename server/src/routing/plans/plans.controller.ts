import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  createPlanSchema,
  listPlansQuerySchema,
  lockStopSchema,
  moveStopSchema,
  optimizePlanSchema,
  publishPlanSchema,
  vehicleBreakdownSchema,
  type ListPlansQuery,
  type LockStopRequest,
  type MoveStopRequest,
  type RoutePlan,
  type RoutePlanListItem,
  type VehicleBreakdownRequest,
} from '@sanitation/contracts';
import type { z } from 'zod';
import { Roles } from '../../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../../auth/auth.guard.js';
import { openApiSchema } from '../../common/openapi.js';
import { ZodValidationPipe } from '../../common/zod-validation.pipe.js';
import { PlansService } from './plans.service.js';
import { ReplanService } from './replan.service.js';

const who = (req: AuthenticatedRequest) => req.operator?.username ?? 'unknown';

@ApiTags('routing')
@ApiBearerAuth()
@Controller('routing/plans')
export class PlansController {
  constructor(
    private readonly plans: PlansService,
    private readonly replan: ReplanService,
  ) {}

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: "Plan a zone's collection round for some trucks (solved off the event loop)" })
  @ApiBody({ schema: openApiSchema(createPlanSchema) })
  @ApiResponse({ status: 201, description: 'RoutePlan (draft)' })
  @ApiResponse({ status: 400, description: 'invalid body, unknown vehicle, zone without bins' })
  create(@Body(new ZodValidationPipe(createPlanSchema)) body: z.output<typeof createPlanSchema>, @Req() req: AuthenticatedRequest): Promise<RoutePlan> {
    return this.plans.create(body, who(req));
  }

  @Get()
  @Roles('admin', 'dispatcher', 'viewer')
  @ApiOperation({ summary: 'Plans, newest first (no routes)' })
  @ApiResponse({ status: 200, description: 'RoutePlanListItem[]' })
  list(@Query(new ZodValidationPipe(listPlansQuerySchema, '(query)')) query: ListPlansQuery): Promise<RoutePlanListItem[]> {
    return this.plans.list(query);
  }

  @Get(':id')
  @Roles('admin', 'dispatcher', 'viewer')
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 200, description: 'RoutePlan' })
  @ApiResponse({ status: 404, description: 'no such plan' })
  get(@Param('id') id: string): Promise<RoutePlan> {
    return this.plans.get(id);
  }

  @Patch(':id/stops/:stopId')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Lock a stop to its truck (or unlock it)' })
  @ApiBody({ schema: openApiSchema(lockStopSchema) })
  @ApiResponse({ status: 409, description: 'stale version' })
  lock(@Param('id') id: string, @Param('stopId') stopId: string, @Body(new ZodValidationPipe(lockStopSchema)) body: LockStopRequest, @Req() req: AuthenticatedRequest): Promise<RoutePlan> {
    return this.plans.lock(id, stopId, body, who(req));
  }

  @Post(':id/moves')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: "Move a stop to a truck's route at a position (it becomes locked)" })
  @ApiBody({ schema: openApiSchema(moveStopSchema) })
  @ApiResponse({ status: 409, description: 'stale version, or the stop is under way' })
  move(@Param('id') id: string, @Body(new ZodValidationPipe(moveStopSchema)) body: MoveStopRequest, @Req() req: AuthenticatedRequest): Promise<RoutePlan> {
    return this.plans.move(id, body, who(req));
  }

  @Post(':id/optimize')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Re-solve a draft, locked stops staying on their trucks' })
  @ApiBody({ schema: openApiSchema(optimizePlanSchema) })
  optimize(@Param('id') id: string, @Body(new ZodValidationPipe(optimizePlanSchema)) body: z.output<typeof optimizePlanSchema>, @Req() req: AuthenticatedRequest): Promise<RoutePlan> {
    return this.plans.optimize(id, body, who(req));
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: "Publish: each collect stop's job is created/assigned to its truck, in route order" })
  @ApiBody({ schema: openApiSchema(publishPlanSchema) })
  publish(@Param('id') id: string, @Body(new ZodValidationPipe(publishPlanSchema)) body: { version: number }, @Req() req: AuthenticatedRequest): Promise<RoutePlan> {
    return this.plans.publish(id, body.version, who(req));
  }

  @Post(':id/breakdown')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: "A truck is out: its remaining stops are re-planned onto the others; stops under way elsewhere stay" })
  @ApiBody({ schema: openApiSchema(vehicleBreakdownSchema) })
  breakdown(@Param('id') id: string, @Body(new ZodValidationPipe(vehicleBreakdownSchema)) body: VehicleBreakdownRequest, @Req() req: AuthenticatedRequest): Promise<RoutePlan> {
    return this.replan.breakdown(id, body, who(req));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Cancel a draft or published plan (its jobs stay as they are)' })
  @ApiBody({ schema: openApiSchema(publishPlanSchema) })
  cancel(@Param('id') id: string, @Body(new ZodValidationPipe(publishPlanSchema)) body: { version: number }, @Req() req: AuthenticatedRequest): Promise<RoutePlan> {
    return this.plans.cancel(id, body.version, who(req));
  }
}
