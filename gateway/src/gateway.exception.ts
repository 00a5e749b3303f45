/** The gateway's single exception type; `code` tells callers (and logs) what went wrong. */
export enum GatewayErrorCode {
  CONFIG_INVALID = 'CONFIG_INVALID',
  SPOOL_CORRUPT = 'SPOOL_CORRUPT',
  SPOOL_CLOSED = 'SPOOL_CLOSED',
  CREDENTIAL_SYNC_FAILED = 'CREDENTIAL_SYNC_FAILED',
}

export class GatewayException extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GatewayException';
  }
}
