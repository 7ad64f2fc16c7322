import type { ErrorCode } from '../../../shared/errors'

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'BAD_INPUT':
      return 400
    case 'UNAUTHORIZED':
      return 401
    case 'FORBIDDEN':
    case 'BAD_PASSPHRASE':
      return 403
    case 'NOT_FOUND':
    case 'UNKNOWN_METHOD':
      return 404
    case 'CONFLICT':
    case 'LISTEN_FAILED':
      return 409
    case 'VAULT_LOCKED':
      return 423
    default:
      return 500
  }
}
