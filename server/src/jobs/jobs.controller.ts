import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  assignJobSchema,
  cancelJobSchema,
  JOB_STATUSES,
  JOB_TYPES,
  listJobsQuerySchema,
  transitionJobSchema,
  type Job,
  type ListJobsQuery,
  type Paged,
} from '@sanitation/contracts';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { JobsException } from './jobs.exception.js';
import { JobsService } from './jobs.service.js';

/** An absent body is "accept the proposal"; a unit is named with both fields or not at all. */
const assignBodySchema = z.preprocess(
  (body) => body ?? {},
  assignJobSchema.superRefine((body, ctx) => {
    if ((body.unitType === undefined) === (body.unitId === undefined)) return;
    ctx.addIssue({
      code: 'custom',
      path: [body.unitType === undefined ? 'unitType' : 'unitId'],
      message: 'give unitType and unitId together, or neither to accept the proposal',
    });
  }),
);

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiOperation({ summary: 'List jobs, filtered and paged: open first, most urgent and earliest due first. Crew members see only their crews\' jobs.' })
  @ApiQuery({ name: 'status', required: false, description: `comma-separated: ${JOB_STATUSES.join(', ')}` })
  @ApiQuery({ name: 'type', required: false, description: `comma-separated: ${JOB_TYPES.join(', ')}` })
  @ApiQuery({ name: 'cause', required: false, description: 'comma-separated causes' })
  @ApiQuery({ name: 'kind', required: false, description: 'comma-separated device kinds' })
  @ApiQuery({ name: 'zone', required: false })
  @ApiQuery({ name: 'deviceId', required: false })
  @ApiQuery({ name: 'priority', required: false, description: '1–4' })
  @ApiQuery({ name: 'unitId', required: false, description: 'assigned vehicle or crew' })
  @ApiQuery({ name: 'overdue', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 100' })
  @ApiQuery({ name: 'offset', required: false, description: 'default 0' })
  @ApiResponse({ status: 200, description: '{ items: Job[], total }' })
  list(@Query(new ZodValidationPipe(listJobsQuerySchema, '(query)')) query: ListJobsQuery, @Req() request: AuthenticatedRequest): Promise<Paged<Job>> {
    const operator = request.operator!;
    return this.jobs.list(query, operator.role === 'crew' ? operator.username : undefined);
  }

  @Get(':id')
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 200, description: 'Job with history' })
  @ApiResponse({ status: 404, description: 'no such job (or, for a crew member, not one of their jobs)' })
  get(@Param('id') id: string, @Req() request: AuthenticatedRequest): Promise<Job> {
    return this.visible(id, request);
  }

  @Post(':id/assign')
  @Roles('dispatcher', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign to a unit; an empty body accepts the current proposal (409 when there is none)' })
  @ApiBody({ schema: openApiSchema(assignJobSchema) })
  @ApiResponse({ status: 200, description: 'Job with history' })
  @ApiResponse({ status: 409, description: 'no proposal, or the job can no longer be (re)assigned' })
  assign(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(assignBodySchema)) body: z.output<typeof assignJobSchema>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Job> {
    const by = request.operator!.username;
    if (body.unitType && body.unitId) return this.jobs.assign(id, { unitType: body.unitType, unitId: body.unitId }, by);
    return this.jobs.acceptProposal(id, by);
  }

  @Post(':id/transition')
  @Roles('crew', 'dispatcher', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Field progress: en_route, on_site, done (forward only). A crew member may move only their crews\' jobs.' })
  @ApiBody({ schema: openApiSchema(transitionJobSchema) })
  @ApiResponse({ status: 200, description: 'Job with history' })
  @ApiResponse({ status: 409, description: 'illegal transition (the message names from and to)' })
  async transition(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(transitionJobSchema)) body: z.output<typeof transitionJobSchema>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Job> {
    await this.visible(id, request);
    return this.jobs.transition(id, body.status, request.operator!.username, {
      ...(body.note !== undefined ? { note: body.note } : {}),
      ...(body.photoUrl !== undefined ? { photoUrl: body.photoUrl } : {}),
    });
  }

  @Post(':id/cancel')
  @Roles('dispatcher', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an open job; `note` says why' })
  @ApiBody({ schema: openApiSchema(cancelJobSchema) })
  @ApiResponse({ status: 200, description: 'Job with history' })
  @ApiResponse({ status: 409, description: 'the job is already done or cancelled' })
  cancel(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(cancelJobSchema)) body: z.output<typeof cancelJobSchema>,
    @Req() request: AuthenticatedRequest,
  ): Promise<Job> {
    return this.jobs.cancel(id, request.operator!.username, body.note);
  }

  /** The job, if this operator may see it: crew members only their crews' jobs (others look like 404). */
  private async visible(id: string, request: AuthenticatedRequest): Promise<Job> {
    const job = await this.jobs.require(id);
    const operator = request.operator!;
    if (operator.role === 'crew' && !(await this.jobs.isCrewMemberOf(job, operator.username))) throw JobsException.notFound(id);
    return job;
  }
}
