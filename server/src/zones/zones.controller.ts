import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  createContractorSchema,
  zoneImportSchema,
  type Contractor,
  type CreateContractorRequest,
  type ZoneCollection,
  type ZoneImportRequest,
  type ZoneImportResponse,
} from '@sanitation/contracts';
import { Roles } from '../auth/auth.decorators.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { ZonesService } from './zones.service.js';

@ApiTags('zones')
@ApiBearerAuth()
@Controller()
export class ZonesController {
  constructor(private readonly zones: ZonesService) {}

  @Post('zones/import')
  @Roles('admin', 'dispatcher')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Upsert grid zones from a GeoJSON FeatureCollection of Polygons/MultiPolygons',
    description: 'Any invalid feature refuses the request (400 naming features.<index>.<field>). Devices located in an imported zone move into it.',
  })
  @ApiBody({ schema: openApiSchema(zoneImportSchema) })
  @ApiResponse({ status: 200, description: 'ZoneImportResponse { upserted, devicesRezoned }' })
  import(@Body(new ZodValidationPipe(zoneImportSchema)) body: ZoneImportRequest): Promise<ZoneImportResponse> {
    return this.zones.import(body.features);
  }

  @Get('zones')
  @ApiOperation({ summary: 'All zones as a GeoJSON FeatureCollection' })
  list(): Promise<ZoneCollection> {
    return this.zones.list();
  }

  @Post('contractors')
  @Roles('admin', 'dispatcher')
  @ApiBody({ schema: openApiSchema(createContractorSchema) })
  @ApiResponse({ status: 201, description: 'Contractor' })
  @ApiResponse({ status: 409, description: 'a contractor with this id exists' })
  createContractor(@Body(new ZodValidationPipe(createContractorSchema)) body: CreateContractorRequest): Promise<Contractor> {
    return this.zones.createContractor(body);
  }

  @Get('contractors')
  listContractors(): Promise<Contractor[]> {
    return this.zones.listContractors();
  }
}
