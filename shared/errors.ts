/**
 * Stable error codes (jose style): callers switch on `code`, never on message text.
 * Expected outcomes (a bad signature, a 413) are data, not errors; these are for misuse and faults.
 */
export type ErrorCode =
  | 'BAD_INPUT'
  | 'UNKNOWN_METHOD'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'LISTEN_FAILED'
  | 'STORE_LOCKED'
  | 'STORE_UNREADABLE'
  | 'STORE_NOT_HOOKSCOPE'
  | 'STORE_TOO_NEW'
  | 'STORE_READ_ONLY'
  | 'STORE_DAMAGED'
  | 'VAULT_LOCKED'
  | 'BAD_PASSPHRASE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'TRANSPORT'
  | 'INTERNAL'

export interface WireError {
  code: ErrorCode
  message: string
}

export class EngineError extends Error {
  override readonly name = 'EngineError'
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message)
  }

  toWire(): WireError {
    return { code: this.code, message: this.message }
  }

  static fromWire(error: WireError): EngineError {
    return new EngineError(error.code, error.message)
  }
}

export function isEngineError(value: unknown): value is EngineError {
  return value instanceof EngineError
}
