import type { FallbackResponse } from '../../../../shared/model/relay'
import { headerLines, parseHeaderLines } from './rule-draft'

/**
 * The endpoint's fallback as the editor holds it: what a passthrough sender gets when the target
 * cannot be reached (or times out). `ownBody` false: Hookscope's JSON naming the cause.
 */
export interface FallbackDraft {
  status: string
  /** One `Name: value` per line. */
  headers: string
  ownBody: boolean
  body: string
}

export type FallbackErrors = Partial<Record<'status' | 'headers', string>>

export function draftFromFallback(fallback: FallbackResponse): FallbackDraft {
  return { status: String(fallback.status), headers: headerLines(fallback.headers), ownBody: fallback.body !== null, body: fallback.body ?? '' }
}

export function fallbackInput(draft: FallbackDraft): { ok: true; fallback: FallbackResponse } | { ok: false; errors: FallbackErrors } {
  const errors: FallbackErrors = {}
  const status = Number(draft.status.trim())
  if (!/^\d{3}$/.test(draft.status.trim()) || status < 200 || status > 599) errors.status = 'a status from 200 to 599'
  const headers = parseHeaderLines(draft.headers)
  if (!headers.ok) errors.headers = headers.error
  if (!headers.ok || errors.status) return { ok: false, errors }
  return { ok: true, fallback: { status, headers: headers.headers, body: draft.ownBody ? draft.body : null } }
}
