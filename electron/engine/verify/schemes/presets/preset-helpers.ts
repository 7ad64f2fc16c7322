import type { KeyEntry } from '../../../../../shared/model/keyring'
import type { VerdictCode, VerdictStep } from '../../../../../shared/model/verdict'
import type { HmacParse } from '../../hmac/hmac-scheme'
import type { Scheme, SchemeContext, SchemeOutcome } from '../../scheme'
import type { VerifyRequest } from '../../verify-request'

/** A parse failure in the shape HmacSpec.parse returns. */
export function parseFailure(code: VerdictCode, summary: string, steps?: VerdictStep[]): HmacParse {
  return { failure: { code, summary, steps } }
}

/** Shortens untrusted text for a summary (header values, body fields). */
export function clip(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

import { jsonBody } from '../../json-body'

export { jsonBody }

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A nested string field of a JSON value (e.g. ['event', 'id']), or undefined. */
export function stringAt(value: unknown, path: readonly string[]): string | undefined {
  let current = value
  for (const key of path) {
    if (!isRecord(current)) return undefined
    current = current[key]
  }
  return typeof current === 'string' && current.length > 0 ? current : undefined
}

/** The id a sender puts in the JSON body for its event (Stripe `id`, Square `event_id`...). */
export function bodyId(request: VerifyRequest, path: readonly string[]): string | undefined {
  return stringAt(jsonBody(request.body), path)
}

/** Splits `k=v<sep>k=v`; values may contain `=` (base64), so each item splits at its first `=`. */
export function keyValueList(text: string, separator: string): { key: string; value: string }[] {
  const entries: { key: string; value: string }[] = []
  for (const part of text.split(separator)) {
    const item = part.trim()
    if (item.length === 0) continue
    const eq = item.indexOf('=')
    entries.push(eq < 0 ? { key: item, value: '' } : { key: item.slice(0, eq).trim(), value: item.slice(eq + 1).trim() })
  }
  return entries
}

/**
 * Parses an RFC 3339 date-time (Twitch's nanosecond timestamps, Box's offsets) into Unix seconds;
 * null when it is not one. Fractions beyond milliseconds are dropped.
 */
export function parseRfc3339Seconds(raw: string): number | null {
  const match = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(raw.trim())
  if (!match) return null
  const fraction = match[2] ? match[2].slice(0, 4) : ''
  const ms = Date.parse(`${match[1]!.replace(/[t ]/, 'T')}${fraction}${match[3]!.toUpperCase()}`)
  return Number.isFinite(ms) ? ms / 1000 : null
}

/** "v1=abc" → "abc" when the value carries the prefix, else null. */
export function afterPrefix(value: string, prefix: string): string | null {
  return value.startsWith(prefix) ? value.slice(prefix.length) : null
}

/** A copy of the key with other options (used by wrappers that re-run a scheme on a variant). */
export function withOptions(key: KeyEntry, options: Record<string, unknown>): KeyEntry {
  return { ...key, options: { ...key.options, ...options } }
}

/** Runs a scheme's verify (sync or async) and always gives a promise. */
export async function run(scheme: Scheme, request: VerifyRequest, key: KeyEntry, context: SchemeContext): Promise<SchemeOutcome> {
  return scheme.verify(request, key, context)
}

/** First issue of a zod-like safeParse as a sentence for checkKey. */
export function optionIssue(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string | null {
  if (result.success) return null
  const issue = result.error?.issues[0]
  return issue ? `option ${issue.path.map(String).join('.')}: ${issue.message}` : 'invalid options'
}
