import { EngineError, isEngineError, type WireError } from '../errors'

/** What crosses every transport. Electron IPC keeps only `message` of a thrown error, so errors travel as values. */
export type WireResult<T> = { ok: true; value: T } | { ok: false; error: WireError }

export function toWireResult<T>(value: T): WireResult<T> {
  return { ok: true, value }
}

/** Unexpected faults become INTERNAL with a generic message: their text may carry paths or payload bytes. */
export function toWireFailure(error: unknown): WireResult<never> {
  if (isEngineError(error)) return { ok: false, error: error.toWire() }
  return { ok: false, error: { code: 'INTERNAL', message: 'internal error (see the engine log)' } }
}

export function unwrapWireResult<T>(result: WireResult<T>): T {
  if (result.ok) return result.value
  throw EngineError.fromWire(result.error)
}
