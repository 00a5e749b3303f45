import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum DevicesExceptionCode {
  DEVICE_NOT_FOUND = 'DEVICE_NOT_FOUND',
  DEVICE_ALREADY_EXISTS = 'DEVICE_ALREADY_EXISTS',
  INVALID_CURSOR = 'INVALID_CURSOR',
}

const STATUS: Record<DevicesExceptionCode, HttpStatus> = {
  [DevicesExceptionCode.DEVICE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [DevicesExceptionCode.DEVICE_ALREADY_EXISTS]: HttpStatus.CONFLICT,
  [DevicesExceptionCode.INVALID_CURSOR]: HttpStatus.BAD_REQUEST,
};

export class DevicesException extends CodedException<DevicesExceptionCode> {
  constructor(code: DevicesExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }

  static notFound(id: string): DevicesException {
    return new DevicesException(DevicesExceptionCode.DEVICE_NOT_FOUND, `device "${id}" not found`);
  }
}
