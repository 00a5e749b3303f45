import { HttpStatus } from '@nestjs/common';
import { CodedException } from '../common/coded.exception.js';

export enum JobsExceptionCode {
  JOB_NOT_FOUND = 'JOB_NOT_FOUND',
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  NO_PROPOSAL = 'NO_PROPOSAL',
  UNIT_NOT_FOUND = 'UNIT_NOT_FOUND',
  PHOTO_NOT_FOUND = 'PHOTO_NOT_FOUND',
  PHOTO_INVALID = 'PHOTO_INVALID',
  PHOTO_TOO_LARGE = 'PHOTO_TOO_LARGE',
  PHOTO_UNSUPPORTED_TYPE = 'PHOTO_UNSUPPORTED_TYPE',
  PHOTO_LIMIT = 'PHOTO_LIMIT',
}

const STATUS: Record<JobsExceptionCode, HttpStatus> = {
  [JobsExceptionCode.JOB_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [JobsExceptionCode.ILLEGAL_TRANSITION]: HttpStatus.CONFLICT,
  [JobsExceptionCode.NO_PROPOSAL]: HttpStatus.CONFLICT,
  // The unit is named in the body, not the path: the request is wrong, not the resource missing.
  [JobsExceptionCode.UNIT_NOT_FOUND]: HttpStatus.BAD_REQUEST,
  [JobsExceptionCode.PHOTO_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [JobsExceptionCode.PHOTO_INVALID]: HttpStatus.BAD_REQUEST,
  [JobsExceptionCode.PHOTO_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [JobsExceptionCode.PHOTO_UNSUPPORTED_TYPE]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [JobsExceptionCode.PHOTO_LIMIT]: HttpStatus.CONFLICT,
};

export class JobsException extends CodedException<JobsExceptionCode> {
  constructor(code: JobsExceptionCode, message: string) {
    super(code, message, STATUS[code]);
  }

  static notFound(id: string): JobsException {
    return new JobsException(JobsExceptionCode.JOB_NOT_FOUND, `job "${id}" not found`);
  }

  static illegal(jobId: string, from: string, to: string, why?: string): JobsException {
    return new JobsException(
      JobsExceptionCode.ILLEGAL_TRANSITION,
      `job "${jobId}": cannot go from ${from} to ${to}${why ? ` (${why})` : ''}`,
    );
  }
}
