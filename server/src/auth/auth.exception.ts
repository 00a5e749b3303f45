import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum AuthExceptionCode {
  TOKEN_MISSING = 'TOKEN_MISSING',
  TOKEN_INVALID = 'TOKEN_INVALID',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  FORBIDDEN_ROLE = 'FORBIDDEN_ROLE',
  OPERATOR_ALREADY_EXISTS = 'OPERATOR_ALREADY_EXISTS',
}

const STATUS: Record<AuthExceptionCode, HttpStatus> = {
  [AuthExceptionCode.TOKEN_MISSING]: HttpStatus.UNAUTHORIZED,
  [AuthExceptionCode.TOKEN_INVALID]: HttpStatus.UNAUTHORIZED,
  [AuthExceptionCode.INVALID_CREDENTIALS]: HttpStatus.UNAUTHORIZED,
  [AuthExceptionCode.FORBIDDEN_ROLE]: HttpStatus.FORBIDDEN,
  [AuthExceptionCode.OPERATOR_ALREADY_EXISTS]: HttpStatus.CONFLICT,
};

export class AuthException extends CodedException<AuthExceptionCode> {
  constructor(code: AuthExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
