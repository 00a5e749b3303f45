import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * Base of the one-exception-per-module pattern: each module declares a code enum and maps each
 * code to an HTTP status. The body is `{ statusCode, error, code, message }`.
 */
export abstract class CodedException<C extends string> extends HttpException {
  protected constructor(
    readonly code: C,
    message: string,
    status: HttpStatus,
  ) {
    super({ statusCode: status, error: httpStatusText(status), code, message }, status);
  }
}

export function httpStatusText(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
