import { MAX_RESPONSE_DELAY_MS } from '../../../../shared/api/contract'
import type { RawHeader } from '../../../../shared/model/delivery'
import type { EndpointResponse } from '../../../../shared/model/endpoint'

/** The endpoint response as the form holds it: text fields, headers one `Name: value` per line. */
export interface ResponseDraft {
  status: string
  headers: string
  /** Empty: the default `{"id": "<delivery id>"}`. */
  body: string
  delayMs: string
  failurePercent: string
  failureStatus: string
  failureBody: string
}

export type ResponseDraftErrors = Partial<Record<keyof ResponseDraft, string>>

export type ResponseDraftResult = { ok: true; response: EndpointResponse } | { ok: false; errors: ResponseDraftErrors }

/** The contract's own rules (shared/api/contract.ts), so mistakes show at the field, not as a 400. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection'])
const MAX_HEADERS = 100
const MAX_BODY = 1024 * 1024
const MAX_FAILURE_BODY = 64 * 1024

export function draftFromResponse(response: EndpointResponse): ResponseDraft {
  return {
    status: String(response.status),
    headers: response.headers.map(([name, value]) => `${name}: ${value}`).join('\n'),
    body: response.body ?? '',
    delayMs: String(response.delayMs),
    failurePercent: response.failure ? String(response.failure.percent) : '0',
    failureStatus: response.failure ? String(response.failure.status) : '500',
    failureBody: response.failure?.body ?? ''
  }
}

export function parseHeaderLines(text: string): { headers: RawHeader[] } | { error: string } {
  const headers: RawHeader[] = []
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '')
    if (line.trim() === '') continue
    const colon = line.indexOf(':')
    const name = colon < 0 ? line.trim() : line.slice(0, colon).trim()
    const value = colon < 0 ? '' : line.slice(colon + 1).trim()
    if (colon < 0 || !HTTP_TOKEN.test(name)) return { error: `line ${index + 1}: "Name: value", with a name made of letters, digits and -` }
    if (FRAMING.has(name.toLowerCase())) return { error: `line ${index + 1}: ${name} is computed by Hookscope` }
    if (!HEADER_VALUE.test(value)) return { error: `line ${index + 1}: the value has control characters` }
    headers.push([name, value])
  }
  if (headers.length > MAX_HEADERS) return { error: `at most ${MAX_HEADERS} headers` }
  return { headers }
}

function integer(text: string, min: number, max: number): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null
  const value = Number(text)
  return value >= min && value <= max ? value : null
}

export function responseFromDraft(draft: ResponseDraft): ResponseDraftResult {
  const errors: ResponseDraftErrors = {}
  const status = integer(draft.status, 200, 599)
  if (status === null) errors.status = 'a status from 200 to 599'
  const parsed = parseHeaderLines(draft.headers)
  if ('error' in parsed) errors.headers = parsed.error
  if (draft.body.length > MAX_BODY) errors.body = 'at most 1 MiB'
  const delayMs = integer(draft.delayMs === '' ? '0' : draft.delayMs, 0, MAX_RESPONSE_DELAY_MS)
  if (delayMs === null) errors.delayMs = `0 to ${MAX_RESPONSE_DELAY_MS.toLocaleString('en-US')} ms`
  const percentText = draft.failurePercent.trim() === '' ? '0' : draft.failurePercent.trim()
  const percent = /^\d{1,3}(\.\d+)?$/.test(percentText) ? Number(percentText) : NaN
  if (!(percent >= 0 && percent <= 100)) errors.failurePercent = '0 to 100'
  const failing = percent > 0
  const failureStatus = failing ? integer(draft.failureStatus, 400, 599) : 500
  if (failureStatus === null) errors.failureStatus = 'an error status from 400 to 599'
  if (draft.failureBody.length > MAX_FAILURE_BODY) errors.failureBody = 'at most 64 KiB'
  if (Object.keys(errors).length > 0 || status === null || delayMs === null || failureStatus === null || 'error' in parsed) return { ok: false, errors }
  return {
    ok: true,
    response: {
      status,
      headers: parsed.headers,
      body: draft.body === '' ? null : draft.body,
      delayMs,
      failure: failing ? { percent, status: failureStatus, body: draft.failureBody === '' ? null : draft.failureBody } : null
    }
  }
}

/** One line for the sidebar when an endpoint answers other than the default; null when it does not. */
export function describeResponse(response: EndpointResponse): string | null {
  const parts: string[] = []
  if (response.status !== 200 || response.body !== null || response.headers.length > 0) parts.push(`answers ${response.status}`)
  if (response.failure && response.failure.percent > 0) parts.push(`${response.failure.percent}% fail with ${response.failure.status}`)
  if (response.delayMs > 0) parts.push(`after ${response.delayMs >= 1000 ? `${response.delayMs / 1000} s` : `${response.delayMs} ms`}`)
  return parts.length > 0 ? parts.join(' · ') : null
}
