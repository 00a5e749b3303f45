import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum HistoryExceptionCode {
  DEVICE_NOT_FOUND = 'DEVICE_NOT_FOUND',
  /** A query parameter is wrong for this device or range; the message names it. */
  INVALID_QUERY = 'INVALID_QUERY',
  /** InfluxDB did not answer (down, timeout). */
  INFLUX_UNAVAILABLE = 'INFLUX_UNAVAILABLE',
  /** InfluxDB answered with an error. */
  INFLUX_ERROR = 'INFLUX_ERROR',
}

const STATUS: Record<HistoryExceptionCode, HttpStatus> = {
  [HistoryExceptionCode.DEVICE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [HistoryExceptionCode.INVALID_QUERY]: HttpStatus.BAD_REQUEST,
  [HistoryExceptionCode.INFLUX_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [HistoryExceptionCode.INFLUX_ERROR]: HttpStatus.BAD_GATEWAY,
};

export class HistoryException extends CodedException<HistoryExceptionCode> {
  constructor(code: HistoryExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }

  /** 400 naming the query parameter, e.g. `window: …`. */
  static invalid(field: string, problem: string): HistoryException {
    return new HistoryException(HistoryExceptionCode.INVALID_QUERY, `${field}: ${problem}`);
  }
}
