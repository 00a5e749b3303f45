import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { registerDisposalSiteSchema, type DisposalSite, type RegisterDisposalSiteRequest } from '@sanitation/contracts';
import { Roles } from '../auth/auth.decorators.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { FleetUnitsService } from './fleet-units.service.js';

@ApiTags('fleet')
@ApiBearerAuth()
@Controller('disposal-sites')
export class DisposalSitesController {
  constructor(private readonly units: FleetUnitsService) {}

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Register a place where septic tankers may unload (chain of custody)' })
  @ApiBody({ schema: openApiSchema(registerDisposalSiteSchema) })
  @ApiResponse({ status: 201, description: 'DisposalSite' })
  @ApiResponse({ status: 409, description: 'site id taken' })
  register(@Body(new ZodValidationPipe(registerDisposalSiteSchema)) body: RegisterDisposalSiteRequest): Promise<DisposalSite> {
    return this.units.registerDisposalSite(body);
  }

  @Get()
  @ApiResponse({ status: 200, description: 'DisposalSite[]' })
  list(): Promise<DisposalSite[]> {
    return this.units.listDisposalSites();
  }
}
