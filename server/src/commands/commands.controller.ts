import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { openApiSchema } from '../common/openapi.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import {
  listCommandsQuerySchema,
  sendCommandSchema,
  type DeviceCommandList,
  type DeviceCommandRecord,
  type ListCommandsQuery,
  type SendCommandRequest,
} from '@sanitation/contracts';
import { CommandsService } from './commands.service.js';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('devices/:id/commands')
export class CommandsController {
  constructor(private readonly commands: CommandsService) {}

  @Post()
  @Roles('admin', 'dispatcher', 'crew')
  @HttpCode(202)
  @ApiOperation({
    summary: "Send a command to the device's cmd topic (streetlights: on/off/dim; every kind: ping)",
    description: "Answers at once with status 'sent'; the device's cmd/ack turns it 'acked' or 'failed', no answer in 30 s 'timeout'.",
  })
  @ApiParam({ name: 'id' })
  @ApiBody({ schema: openApiSchema(sendCommandSchema) })
  @ApiResponse({ status: 202, description: 'DeviceCommandRecord' })
  @ApiResponse({ status: 404, description: 'no such device' })
  @ApiResponse({ status: 409, description: 'the device kind cannot do this action, or the device is revoked' })
  @ApiResponse({ status: 503, description: 'no gateway took the command (the record is failed)' })
  send(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(sendCommandSchema)) body: SendCommandRequest,
    @Req() request: AuthenticatedRequest,
  ): Promise<DeviceCommandRecord> {
    return this.commands.send(id, body, request.operator!.username);
  }

  @Get()
  @ApiOperation({ summary: "The device's commands, latest first, paged" })
  @ApiParam({ name: 'id' })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 50' })
  @ApiQuery({ name: 'offset', required: false, description: 'default 0' })
  @ApiResponse({ status: 200, description: '{ items: DeviceCommandRecord[], total }' })
  list(@Param('id') id: string, @Query(new ZodValidationPipe(listCommandsQuerySchema, '(query)')) query: ListCommandsQuery): Promise<DeviceCommandList> {
    return this.commands.list(id, query);
  }

  @Get(':cmdId')
  @ApiParam({ name: 'id' })
  @ApiParam({ name: 'cmdId' })
  @ApiResponse({ status: 200, description: 'DeviceCommandRecord' })
  @ApiResponse({ status: 404, description: 'no such device or command' })
  get(@Param('id') id: string, @Param('cmdId') cmdId: string): Promise<DeviceCommandRecord> {
    return this.commands.get(id, cmdId);
  }
}
