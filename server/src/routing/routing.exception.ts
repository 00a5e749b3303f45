import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum RoutingExceptionCode {
  PLAN_NOT_FOUND = 'PLAN_NOT_FOUND',
  STOP_NOT_FOUND = 'STOP_NOT_FOUND',
  VEHICLE_NOT_FOUND = 'VEHICLE_NOT_FOUND',
  VEHICLE_NOT_IN_PLAN = 'VEHICLE_NOT_IN_PLAN',
  STALE_VERSION = 'STALE_VERSION',
  ILLEGAL_STATE = 'ILLEGAL_STATE',
  NOT_MOVABLE = 'NOT_MOVABLE',
  NO_BINS = 'NO_BINS',
  SOLVER_UNAVAILABLE = 'SOLVER_UNAVAILABLE',
  SOLVER_FAILED = 'SOLVER_FAILED',
}

const STATUS: Record<RoutingExceptionCode, HttpStatus> = {
  [RoutingExceptionCode.PLAN_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [RoutingExceptionCode.STOP_NOT_FOUND]: HttpStatus.NOT_FOUND,
  // Vehicles are named in the body: the request is wrong, not the resource missing.
  [RoutingExceptionCode.VEHICLE_NOT_FOUND]: HttpStatus.BAD_REQUEST,
  [RoutingExceptionCode.VEHICLE_NOT_IN_PLAN]: HttpStatus.BAD_REQUEST,
  [RoutingExceptionCode.STALE_VERSION]: HttpStatus.CONFLICT,
  [RoutingExceptionCode.ILLEGAL_STATE]: HttpStatus.CONFLICT,
  [RoutingExceptionCode.NOT_MOVABLE]: HttpStatus.CONFLICT,
  [RoutingExceptionCode.NO_BINS]: HttpStatus.BAD_REQUEST,
  // The worker could not run (not built, crashed): try again later.
  [RoutingExceptionCode.SOLVER_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  // The solver refused the problem the planner built: a bug of ours, named in the message.
  [RoutingExceptionCode.SOLVER_FAILED]: HttpStatus.INTERNAL_SERVER_ERROR,
};

export class RoutingException extends CodedException<RoutingExceptionCode> {
  constructor(code: RoutingExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }

  static notFound(planId: string): RoutingException {
    return new RoutingException(RoutingExceptionCode.PLAN_NOT_FOUND, `plan "${planId}" not found`);
  }

  static stale(planId: string, given: number, current: number): RoutingException {
    return new RoutingException(
      RoutingExceptionCode.STALE_VERSION,
      `version: plan "${planId}" is at version ${current}, the edit was made on version ${given}; reload the plan and try again`,
    );
  }
}
