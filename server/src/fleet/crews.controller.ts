import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { crewPositionSchema, registerCrewSchema, type Crew, type CrewPositionRequest, type RegisterCrewRequest } from '@sanitation/contracts';
import { Roles } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { FleetUnitsService } from './fleet-units.service.js';

@ApiTags('fleet')
@ApiBearerAuth()
@Controller('crews')
export class CrewsController {
  constructor(private readonly units: FleetUnitsService) {}

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Register a crew (skill, members = crew operators, capacity, shift, base)' })
  @ApiBody({ schema: openApiSchema(registerCrewSchema) })
  @ApiResponse({ status: 201, description: 'Crew' })
  @ApiResponse({ status: 409, description: 'crew id taken' })
  register(@Body(new ZodValidationPipe(registerCrewSchema)) body: RegisterCrewRequest): Promise<Crew> {
    return this.units.registerCrew(body);
  }

  @Get()
  @ApiResponse({ status: 200, description: 'Crew[] with position and active jobs' })
  list(): Promise<Crew[]> {
    return this.units.listCrews();
  }

  @Get(':id')
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 200, description: 'Crew' })
  @ApiResponse({ status: 404, description: 'no such crew' })
  get(@Param('id') id: string): Promise<Crew> {
    return this.units.getCrew(id);
  }

  @Post(':id/position')
  @HttpCode(200)
  @Roles('admin', 'dispatcher', 'crew')
  @ApiOperation({ summary: 'A crew member’s phone reports the crew’s position (role crew: own crew only)' })
  @ApiBody({ schema: openApiSchema(crewPositionSchema) })
  @ApiResponse({ status: 200, description: 'Crew' })
  @ApiResponse({ status: 403, description: 'not a member of this crew' })
  reportPosition(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(crewPositionSchema)) body: CrewPositionRequest,
    @Req() req: AuthenticatedRequest,
  ): Promise<Crew> {
    return this.units.reportCrewPosition(id, body, req.operator!);
  }
}
