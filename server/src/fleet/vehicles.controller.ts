import { Body, Controller, Get, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  autoAssignUpdateSchema,
  listCustodyQuerySchema,
  proposalsQuerySchema,
  registerVehicleSchema,
  type AssignmentCandidate,
  type AutoAssignSettings,
  type AutoAssignUpdate,
  type Custody,
  type ListCustodyQuery,
  type RegisterVehicleRequest,
  type Vehicle,
} from '@sanitation/contracts';
import { Roles } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { AssignmentService } from './assignment.service.js';
import { CustodyService } from './custody.service.js';
import { FleetUnitsService } from './fleet-units.service.js';

// Static routes are declared before `:id`, which would otherwise swallow them.
@ApiTags('fleet')
@ApiBearerAuth()
@Controller('vehicles')
export class VehiclesController {
  constructor(
    private readonly units: FleetUnitsService,
    private readonly assignment: AssignmentService,
    private readonly custody: CustodyService,
  ) {}

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Register a vehicle; its deviceId must be a registered truck device' })
  @ApiBody({ schema: openApiSchema(registerVehicleSchema) })
  @ApiResponse({ status: 201, description: 'Vehicle' })
  @ApiResponse({ status: 400, description: 'invalid body, or deviceId is not a truck' })
  @ApiResponse({ status: 404, description: 'deviceId is not a registered device' })
  @ApiResponse({ status: 409, description: 'vehicle id taken, or the device is another vehicle’s GPS unit' })
  register(@Body(new ZodValidationPipe(registerVehicleSchema)) body: RegisterVehicleRequest): Promise<Vehicle> {
    return this.units.registerVehicle(body);
  }

  @Get()
  @ApiOperation({ summary: 'Vehicles with live position, load and active jobs' })
  @ApiResponse({ status: 200, description: 'Vehicle[]' })
  list(): Promise<Vehicle[]> {
    return this.units.listVehicles();
  }

  @Get('auto-assign')
  @ApiOperation({ summary: 'Per skill (vehicles and crews): is the best proposal assigned automatically' })
  @ApiResponse({ status: 200, description: 'AutoAssignSettings { collection, septic, toilet, lighting }' })
  getAutoAssign(): Promise<AutoAssignSettings> {
    return this.assignment.getAutoAssign();
  }

  @Put('auto-assign')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Turn auto-assign on/off for some skills; answers the whole setting' })
  @ApiBody({ schema: openApiSchema(autoAssignUpdateSchema) })
  @ApiResponse({ status: 200, description: 'AutoAssignSettings' })
  setAutoAssign(@Body(new ZodValidationPipe(autoAssignUpdateSchema)) body: AutoAssignUpdate, @Req() req: AuthenticatedRequest): Promise<AutoAssignSettings> {
    return this.assignment.setAutoAssign(body, req.operator?.username ?? 'unknown');
  }

  @Get('proposals')
  @ApiOperation({ summary: 'The best units for a job (top 5, fastest first), vehicles and crews' })
  @ApiQuery({ name: 'jobId', required: true })
  @ApiResponse({ status: 200, description: 'AssignmentCandidate[]' })
  @ApiResponse({ status: 404, description: 'no such job' })
  proposals(@Query(new ZodValidationPipe(proposalsQuerySchema, '(query)')) query: { jobId: string }): Promise<AssignmentCandidate[]> {
    return this.assignment.candidates(query.jobId);
  }

  @Get('custody')
  @ApiOperation({ summary: 'Septic chain of custody records, newest first' })
  @ApiQuery({ name: 'open', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'vehicleDeviceId', required: false })
  @ApiResponse({ status: 200, description: 'Custody[]' })
  listCustody(@Query(new ZodValidationPipe(listCustodyQuerySchema, '(query)')) query: ListCustodyQuery): Promise<Custody[]> {
    return this.custody.list(query);
  }

  @Get(':id')
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 200, description: 'Vehicle' })
  @ApiResponse({ status: 404, description: 'no such vehicle' })
  get(@Param('id') id: string): Promise<Vehicle> {
    return this.units.getVehicle(id);
  }
}
