import { isEngineError } from '../../../shared/errors'

/** A message fit for the UI. Engine errors carry safe text by contract; anything else is a bug, logged. */
export function describeError(error: unknown): string {
  if (isEngineError(error)) return error.message
  console.error(error)
  return 'Unexpected error (see the developer console)'
}
