import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum AlarmsExceptionCode {
  ALARM_NOT_FOUND = 'ALARM_NOT_FOUND',
  ALARM_ALREADY_ACKNOWLEDGED = 'ALARM_ALREADY_ACKNOWLEDGED',
  ALARM_RESOLVED = 'ALARM_RESOLVED',
}

const STATUS: Record<AlarmsExceptionCode, HttpStatus> = {
  [AlarmsExceptionCode.ALARM_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [AlarmsExceptionCode.ALARM_ALREADY_ACKNOWLEDGED]: HttpStatus.CONFLICT,
  [AlarmsExceptionCode.ALARM_RESOLVED]: HttpStatus.CONFLICT,
};

export class AlarmsException extends CodedException<AlarmsExceptionCode> {
  constructor(code: AlarmsExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }

  static notFound(id: string): AlarmsException {
    return new AlarmsException(AlarmsExceptionCode.ALARM_NOT_FOUND, `alarm "${id}" not found`);
  }
}
