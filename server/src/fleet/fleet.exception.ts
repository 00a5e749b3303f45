import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum FleetExceptionCode {
  VEHICLE_NOT_FOUND = 'VEHICLE_NOT_FOUND',
  VEHICLE_ALREADY_EXISTS = 'VEHICLE_ALREADY_EXISTS',
  DEVICE_NOT_FOUND = 'DEVICE_NOT_FOUND',
  DEVICE_NOT_A_TRUCK = 'DEVICE_NOT_A_TRUCK',
  DEVICE_IN_USE = 'DEVICE_IN_USE',
  CREW_NOT_FOUND = 'CREW_NOT_FOUND',
  CREW_ALREADY_EXISTS = 'CREW_ALREADY_EXISTS',
  NOT_A_CREW_MEMBER = 'NOT_A_CREW_MEMBER',
  DISPOSAL_SITE_ALREADY_EXISTS = 'DISPOSAL_SITE_ALREADY_EXISTS',
  JOB_NOT_FOUND = 'JOB_NOT_FOUND',
}

const STATUS: Record<FleetExceptionCode, HttpStatus> = {
  [FleetExceptionCode.VEHICLE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [FleetExceptionCode.VEHICLE_ALREADY_EXISTS]: HttpStatus.CONFLICT,
  [FleetExceptionCode.DEVICE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [FleetExceptionCode.DEVICE_NOT_A_TRUCK]: HttpStatus.BAD_REQUEST,
  [FleetExceptionCode.DEVICE_IN_USE]: HttpStatus.CONFLICT,
  [FleetExceptionCode.CREW_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [FleetExceptionCode.CREW_ALREADY_EXISTS]: HttpStatus.CONFLICT,
  [FleetExceptionCode.NOT_A_CREW_MEMBER]: HttpStatus.FORBIDDEN,
  [FleetExceptionCode.DISPOSAL_SITE_ALREADY_EXISTS]: HttpStatus.CONFLICT,
  [FleetExceptionCode.JOB_NOT_FOUND]: HttpStatus.NOT_FOUND,
};

export class FleetException extends CodedException<FleetExceptionCode> {
  constructor(code: FleetExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
