import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { CredentialSyncResponse } from '@sanitation/contracts';
import { InternalOnly } from '../auth/auth.decorators.js';
import { DevicesService } from './devices.service.js';

/** Gateway credential sync. Bearer INTERNAL_TOKEN; operator tokens are refused. */
@ApiTags('internal')
@ApiBearerAuth()
@Controller('internal')
export class InternalCredentialsController {
  constructor(private readonly devices: DevicesService) {}

  @Get('credentials')
  @InternalOnly()
  @ApiOperation({
    summary: 'Device credentials for the gateways',
    description: 'Without `since`: every device, `full: true`. With `since`: devices changed after that cursor.',
  })
  @ApiQuery({ name: 'since', required: false, description: 'cursor from the previous answer' })
  @ApiResponse({ status: 200, description: 'CredentialSyncResponse { cursor, full, devices }' })
  credentials(@Query('since') since?: string): Promise<CredentialSyncResponse> {
    return this.devices.credentials(since);
  }
}
