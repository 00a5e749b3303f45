import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  DEVICE_KINDS,
  MAX_IMPORT_FEATURES,
  deviceImportSchema,
  listDevicesQuerySchema,
  registerDeviceSchema,
  type Device,
  type DeviceImportResponse,
  type DeviceListResponse,
  type ListDevicesQuery,
  type RegisterDeviceRequest,
  type RegisterDeviceResponse,
  type RotateSecretResponse,
} from '@sanitation/contracts';
import { z } from 'zod';
import { Roles } from '../auth/auth.decorators.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { DevicesService } from './devices.service.js';

/** The import envelope; features are validated one by one in the service so valid ones still go in. */
const importEnvelopeSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()).max(MAX_IMPORT_FEATURES),
});

@ApiTags('devices')
@ApiBearerAuth()
@Controller('devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Register a device; the secret is returned once, only its hash is stored' })
  @ApiBody({ schema: openApiSchema(registerDeviceSchema) })
  @ApiResponse({ status: 201, description: 'RegisterDeviceResponse { device, secret }' })
  @ApiResponse({ status: 409, description: 'a device with this id exists' })
  register(@Body(new ZodValidationPipe(registerDeviceSchema)) body: RegisterDeviceRequest): Promise<RegisterDeviceResponse> {
    return this.devices.register(body);
  }

  @Post('import')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Bulk import from a GeoJSON FeatureCollection of Points',
    description: 'Invalid or duplicate features are reported by index in `errors`; the valid ones are imported.',
  })
  @ApiBody({ schema: openApiSchema(deviceImportSchema) })
  @ApiResponse({ status: 200, description: 'DeviceImportResponse { created: [{deviceId, secret}], errors: [{index, deviceId?, error}] }' })
  import(@Body(new ZodValidationPipe(importEnvelopeSchema)) body: z.infer<typeof importEnvelopeSchema>): Promise<DeviceImportResponse> {
    return this.devices.import(body.features);
  }

  @Get()
  @ApiOperation({ summary: 'List devices, filtered and paged, ordered by id' })
  @ApiQuery({ name: 'kind', required: false, enum: DEVICE_KINDS })
  @ApiQuery({ name: 'zone', required: false })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'revoked'] })
  @ApiQuery({ name: 'limit', required: false, description: '1–10000, default 100' })
  @ApiQuery({ name: 'offset', required: false, description: 'default 0' })
  @ApiResponse({ status: 200, description: 'DeviceListResponse { items: Device[], total }' })
  list(@Query(new ZodValidationPipe(listDevicesQuerySchema, '(query)')) query: ListDevicesQuery): Promise<DeviceListResponse> {
    return this.devices.list(query);
  }

  @Get(':id')
  @ApiParam({ name: 'id' })
  @ApiResponse({ status: 200, description: 'Device' })
  @ApiResponse({ status: 404, description: 'no such device' })
  get(@Param('id') id: string): Promise<Device> {
    return this.devices.get(id);
  }

  @Post(':id/secret')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the device secret; the new one is returned once, the old one stops working' })
  @ApiResponse({ status: 200, description: 'RotateSecretResponse { deviceId, secret }' })
  rotateSecret(@Param('id') id: string): Promise<RotateSecretResponse> {
    return this.devices.rotateSecret(id);
  }

  @Post(':id/revoke')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a device; the gateways refuse it within seconds' })
  @ApiResponse({ status: 200, description: 'Device' })
  revoke(@Param('id') id: string): Promise<Device> {
    return this.devices.revoke(id);
  }
}
