/** The simulator's one exception class; `code` tells callers what went wrong without parsing text. */
export enum SimErrorCode {
  InvalidConfig = 'INVALID_CONFIG',
  ProvisioningFailed = 'PROVISIONING_FAILED',
  CredentialsFile = 'CREDENTIALS_FILE',
  InvalidFault = 'INVALID_FAULT',
  UnknownDevice = 'UNKNOWN_DEVICE',
  InvalidState = 'INVALID_STATE',
}

export class SimError extends Error {
  constructor(
    readonly code: SimErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SimError';
  }
}
