/**
 * Why the live namespace refused a connection or a subscription. socket.io hands the message to
 * the client's `connect_error` and the code in `err.data.code`.
 */
export enum LiveExceptionCode {
  TOKEN_MISSING = 'TOKEN_MISSING',
  TOKEN_INVALID = 'TOKEN_INVALID',
  INVALID_SUBSCRIPTION = 'INVALID_SUBSCRIPTION',
}

export class LiveException extends Error {
  readonly data: { code: LiveExceptionCode };

  constructor(
    readonly code: LiveExceptionCode,
    message: string,
  ) {
    super(message);
    this.name = 'LiveException';
    this.data = { code };
  }
}
