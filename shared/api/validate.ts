import { EngineError } from '../errors'
import { type EngineMethod, isEngineMethod, methodSchemas, type ParsedParams } from './contract'

/** Validates untrusted params from any transport; throws BAD_INPUT / UNKNOWN_METHOD with a readable message. */
export function parseParams<M extends EngineMethod>(method: M, params: unknown): ParsedParams<M>
export function parseParams(method: string, params: unknown): unknown
export function parseParams(method: string, params: unknown): unknown {
  if (!isEngineMethod(method)) throw new EngineError('UNKNOWN_METHOD', `unknown method: ${method.slice(0, 64)}`)
  const result = methodSchemas[method].safeParse(params ?? {})
  if (result.success) return result.data
  const issues = result.error.issues.slice(0, 5).map((issue) => `${issue.path.length ? issue.path.join('.') : 'params'}: ${issue.message}`)
  throw new EngineError('BAD_INPUT', `${method}: ${issues.join('; ')}`)
}
