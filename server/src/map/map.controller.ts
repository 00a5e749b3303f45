import { Body, Controller, Get, Header, HttpCode, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DEVICE_KINDS, basemapSchema, mapSnapshotColumns, mapSnapshotQuerySchema, type AssetState, type Basemap, type MapSnapshot, type MapSnapshotColumns, type MapSnapshotQuery } from '@sanitation/contracts';
import { Roles } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { MapService } from './map.service.js';

@ApiTags('map')
@ApiBearerAuth()
@Controller('map')
export class MapController {
  constructor(private readonly map: MapService) {}

  @Put('basemap')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: "Replace the city's base map (streets, zones, depots, disposal sites, cabinets as GeoJSON)" })
  @ApiBody({ schema: openApiSchema(basemapSchema) })
  @ApiResponse({ status: 204, description: 'stored' })
  @ApiResponse({ status: 400, description: 'not a valid Basemap; the message names the fields' })
  async putBasemap(@Body(new ZodValidationPipe(basemapSchema)) body: Basemap, @Req() request: AuthenticatedRequest): Promise<void> {
    await this.map.putBasemap(body, request.operator!.username);
  }

  @Get('basemap')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: 'The base map the dashboard draws under the assets (Basemap, a GeoJSON FeatureCollection)' })
  @ApiResponse({ status: 200, description: 'Basemap' })
  @ApiResponse({ status: 404, description: 'no base map uploaded yet' })
  basemap(): Promise<string> {
    return this.map.basemapJson();
  }

  @Get('snapshot')
  @ApiOperation({ summary: 'Every active asset with its latest state, and the latest truck positions: the map starts from this, then follows the live stream' })
  @ApiQuery({ name: 'kind', required: false, enum: DEVICE_KINDS })
  @ApiQuery({ name: 'zone', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['objects', 'columns'], description: 'columns: the same data as MapSnapshotColumns (compact, for the dashboard map)' })
  @ApiResponse({ status: 200, description: 'MapSnapshot { at, devices: AssetState[], trucks: TruckPositionEvent[] }, or MapSnapshotColumns with format=columns' })
  async snapshot(@Query(new ZodValidationPipe(mapSnapshotQuerySchema, '(query)')) query: MapSnapshotQuery): Promise<MapSnapshot | MapSnapshotColumns> {
    const snapshot = await this.map.snapshot(query);
    return query.format === 'columns' ? mapSnapshotColumns(snapshot) : snapshot;
  }

  @Get('assets/:id')
  @ApiOperation({ summary: "One asset's latest state (its last readings)" })
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 200, description: 'AssetState' })
  @ApiResponse({ status: 404, description: 'no such device' })
  asset(@Param('id') id: string): Promise<AssetState> {
    return this.map.asset(id);
  }
}
