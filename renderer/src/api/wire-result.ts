import type { WireResult } from '../../../shared/api/result'
import { EngineError, type ErrorCode } from '../../../shared/errors'

/** Checks that a transport answer has the WireResult shape before trusting it. */
export function parseWireResult(value: unknown): WireResult<unknown> {
  if (typeof value === 'object' && value !== null && 'ok' in value) {
    if (value.ok === true && 'value' in value) return { ok: true, value: value.value }
    if (value.ok === false && 'error' in value && isWireError(value.error)) {
      return { ok: false, error: { code: value.error.code as ErrorCode, message: value.error.message } }
    }
  }
  throw new EngineError('TRANSPORT', 'malformed answer from the engine')
}

function isWireError(value: unknown): value is { code: string; message: string } {
  return (
    typeof value === 'object' && value !== null && 'code' in value && 'message' in value && typeof value.code === 'string' && typeof value.message === 'string'
  )
}
