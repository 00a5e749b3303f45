import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum KpiExceptionCode {
  /** A query parameter is wrong (range, order); the message names it. */
  INVALID_QUERY = 'INVALID_QUERY',
  VEHICLE_NOT_FOUND = 'VEHICLE_NOT_FOUND',
}

const STATUS: Record<KpiExceptionCode, HttpStatus> = {
  [KpiExceptionCode.INVALID_QUERY]: HttpStatus.BAD_REQUEST,
  [KpiExceptionCode.VEHICLE_NOT_FOUND]: HttpStatus.NOT_FOUND,
};

export class KpiException extends CodedException<KpiExceptionCode> {
  constructor(code: KpiExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }

  /** 400 naming the query parameter, e.g. `to: …`. */
  static invalid(field: string, problem: string): KpiException {
    return new KpiException(KpiExceptionCode.INVALID_QUERY, `${field}: ${problem}`);
  }
}
