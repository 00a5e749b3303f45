import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../../common/coded.exception.js';

export enum TravelExceptionCode {
  /** The routing server did not answer in time, answered with an error, or answered something unreadable. */
  ROUTING_SERVER_FAILED = 'ROUTING_SERVER_FAILED',
  /** No route between two points on the routing server's network. */
  NO_ROUTE = 'NO_ROUTE',
}

const STATUS: Record<TravelExceptionCode, HttpStatus> = {
  [TravelExceptionCode.ROUTING_SERVER_FAILED]: HttpStatus.BAD_GATEWAY,
  [TravelExceptionCode.NO_ROUTE]: HttpStatus.UNPROCESSABLE_ENTITY,
};

export class TravelException extends CodedException<TravelExceptionCode> {
  constructor(code: TravelExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
