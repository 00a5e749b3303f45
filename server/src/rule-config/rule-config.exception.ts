import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum RuleConfigExceptionCode {
  INVALID_PARAMS = 'INVALID_PARAMS',
  KIND_ONLY_FIELD = 'KIND_ONLY_FIELD',
  UNKNOWN_KIND = 'UNKNOWN_KIND',
  DEVICE_NOT_FOUND = 'DEVICE_NOT_FOUND',
  WRONG_KIND = 'WRONG_KIND',
}

const STATUS: Record<RuleConfigExceptionCode, HttpStatus> = {
  [RuleConfigExceptionCode.INVALID_PARAMS]: HttpStatus.BAD_REQUEST,
  [RuleConfigExceptionCode.KIND_ONLY_FIELD]: HttpStatus.BAD_REQUEST,
  [RuleConfigExceptionCode.UNKNOWN_KIND]: HttpStatus.BAD_REQUEST,
  [RuleConfigExceptionCode.DEVICE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [RuleConfigExceptionCode.WRONG_KIND]: HttpStatus.BAD_REQUEST,
};

/** Body like the validation pipe's: `{ statusCode, error, code, message, issues: [{ path, message }] }`. */
export class RuleConfigException extends CodedException<RuleConfigExceptionCode> {
  constructor(code: RuleConfigExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
