import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum ZonesExceptionCode {
  DUPLICATE_ZONE = 'DUPLICATE_ZONE',
  CONTRACTOR_EXISTS = 'CONTRACTOR_EXISTS',
}

const STATUS: Record<ZonesExceptionCode, HttpStatus> = {
  [ZonesExceptionCode.DUPLICATE_ZONE]: HttpStatus.BAD_REQUEST,
  [ZonesExceptionCode.CONTRACTOR_EXISTS]: HttpStatus.CONFLICT,
};

export class ZonesException extends CodedException<ZonesExceptionCode> {
  constructor(code: ZonesExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
