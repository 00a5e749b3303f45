import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum CommandsExceptionCode {
  DEVICE_NOT_FOUND = 'DEVICE_NOT_FOUND',
  COMMAND_NOT_FOUND = 'COMMAND_NOT_FOUND',
  ACTION_NOT_SUPPORTED = 'ACTION_NOT_SUPPORTED',
  DEVICE_REVOKED = 'DEVICE_REVOKED',
  GATEWAY_UNAVAILABLE = 'GATEWAY_UNAVAILABLE',
}

const STATUS: Record<CommandsExceptionCode, HttpStatus> = {
  [CommandsExceptionCode.DEVICE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [CommandsExceptionCode.COMMAND_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [CommandsExceptionCode.ACTION_NOT_SUPPORTED]: HttpStatus.CONFLICT,
  [CommandsExceptionCode.DEVICE_REVOKED]: HttpStatus.CONFLICT,
  [CommandsExceptionCode.GATEWAY_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
};

export class CommandsException extends CodedException<CommandsExceptionCode> {
  constructor(code: CommandsExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
