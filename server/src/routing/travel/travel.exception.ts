import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../../common/coded.exception.js';

export enum TravelExceptionCode {
  /** The routing server did not answer in time, answered with an error, or answered something unreadable. */
  ROUTING_SERVER_FAILED = 'ROUTING_SERVER_FAILED',
}

const STATUS: Record<TravelExceptionCode, HttpStatus> = {
  [TravelExceptionCode.ROUTING_SERVER_FAILED]: HttpStatus.BAD_GATEWAY,
};

export class TravelException extends CodedException<TravelExceptionCode> {
  constructor(code: TravelExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
