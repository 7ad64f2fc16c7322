import type { EngineParams } from '../../../../shared/api/contract'
import type { RawHeader } from '../../../../shared/model/delivery'
import {
  DEFAULT_FORWARD_TIMEOUT_MS,
  type ForwardingRule,
  type ForwardMode,
  RETRY_PRESETS,
  type RetryOn,
  type RetryPreset
} from '../../../../shared/model/relay'

/**
 * A forwarding rule as the editor holds it: text fields as typed, turned into the engine's rule
 * input (or field errors) only on save. The engine validates again; this only catches what a
 * person can fix before sending.
 */
export type RuleInput = EngineParams<'forwarding.set'>['rules'][number]

export interface RuleDraft {
  /** Kept for existing rules, so their attempts stay linked to them. */
  id: string | null
  name: string
  enabled: boolean
  pathPrefix: string
  method: string
  headerName: string
  headerValue: string
  jsonPath: string
  jsonValue: string
  target: string
  rewritePrefix: string
  rewriteReplacement: string
  /** Comma-separated header names. */
  removeHeaders: string
  /** One `Name: value` per line. */
  addHeaders: string
  preserveHost: boolean
  /** Seconds, as typed; 0 waits forever. */
  timeoutSeconds: string
  mode: ForwardMode
  retryPreset: RetryPreset | 'custom'
  retryBaseSeconds: string
  retryFactor: string
  retryMaxDelaySeconds: string
  retryMaxRetries: string
  retryOn: RetryOn[]
  /** A client certificate of the certificate store, for targets that require mTLS. */
  clientCertificateId: string | null
}

export type RuleField = keyof RuleDraft
export type RuleErrors = Partial<Record<RuleField, string>>

const seconds = (ms: number) => String(ms / 1000)

export function newRuleDraft(target = 'http://127.0.0.1:3000'): RuleDraft {
  const retry = RETRY_PRESETS.fast
  return {
    id: null,
    name: '',
    enabled: true,
    pathPrefix: '',
    method: '',
    headerName: '',
    headerValue: '',
    jsonPath: '',
    jsonValue: '',
    target,
    rewritePrefix: '',
    rewriteReplacement: '',
    removeHeaders: '',
    addHeaders: '',
    preserveHost: false,
    timeoutSeconds: seconds(DEFAULT_FORWARD_TIMEOUT_MS),
    mode: 'passthrough',
    retryPreset: 'fast',
    retryBaseSeconds: seconds(retry.baseMs),
    retryFactor: String(retry.factor),
    retryMaxDelaySeconds: seconds(retry.maxDelayMs),
    retryMaxRetries: String(retry.maxRetries),
    retryOn: [...retry.on],
    clientCertificateId: null
  }
}

export function draftFromRule(rule: ForwardingRule): RuleDraft {
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    pathPrefix: rule.match.pathPrefix ?? '',
    method: rule.match.method ?? '',
    headerName: rule.match.header?.name ?? '',
    headerValue: rule.match.header?.value ?? '',
    jsonPath: rule.match.jsonField?.path ?? '',
    jsonValue: rule.match.jsonField?.value ?? '',
    target: rule.target,
    rewritePrefix: rule.pathRewrite?.prefix ?? '',
    rewriteReplacement: rule.pathRewrite?.replacement ?? '',
    removeHeaders: rule.headers.remove.join(', '),
    addHeaders: rule.headers.add.map(([name, value]) => `${name}: ${value}`).join('\n'),
    preserveHost: rule.preserveHost,
    timeoutSeconds: seconds(rule.timeoutMs),
    mode: rule.mode,
    retryPreset: rule.retry.preset,
    retryBaseSeconds: seconds(rule.retry.baseMs),
    retryFactor: String(rule.retry.factor),
    retryMaxDelaySeconds: seconds(rule.retry.maxDelayMs),
    retryMaxRetries: String(rule.retry.maxRetries),
    retryOn: [...rule.retry.on],
    clientCertificateId: rule.clientCertificateId
  }
}

/** Picking a preset fills the custom fields with its values (so "custom" starts from it). */
export function withRetryPreset(draft: RuleDraft, preset: RetryPreset | 'custom'): RuleDraft {
  if (preset === 'custom') return { ...draft, retryPreset: 'custom' }
  const policy = RETRY_PRESETS[preset]
  return {
    ...draft,
    retryPreset: preset,
    retryBaseSeconds: seconds(policy.baseMs),
    retryFactor: String(policy.factor),
    retryMaxDelaySeconds: seconds(policy.maxDelayMs),
    retryMaxRetries: String(policy.maxRetries),
    retryOn: [...policy.on]
  }
}

/** `Name: value` lines to raw headers (blank lines skipped); the line number of the first bad one. */
export function parseHeaderLines(text: string): { ok: true; headers: RawHeader[] } | { ok: false; error: string } {
  const headers: RawHeader[] = []
  const lines = text.split(/\r?\n/)
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    if (line.trim() === '') continue
    const colon = line.indexOf(':')
    const name = colon > 0 ? line.slice(0, colon).trim() : ''
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return { ok: false, error: `line ${index + 1}: expected "Name: value"` }
    headers.push([name, line.slice(colon + 1).replace(/^[ \t]+/, '')])
  }
  return { ok: true, headers }
}

export function headerLines(headers: readonly RawHeader[]): string {
  return headers.map(([name, value]) => `${name}: ${value}`).join('\n')
}

function number(text: string, { min, max, integer }: { min: number; max: number; integer?: boolean }): number | null {
  if (text.trim() === '') return null
  const value = Number(text)
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) return null
  return value
}

const DAY_SECONDS = 24 * 60 * 60

/** The rule input the engine takes, or what to fix (by field). */
export function ruleInput(draft: RuleDraft): { ok: true; input: RuleInput } | { ok: false; errors: RuleErrors } {
  const errors: RuleErrors = {}
  const target = draft.target.trim()
  if (!/^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(target)) errors.target = 'an http:// or https:// URL, e.g. http://127.0.0.1:3000'
  const pathPrefix = draft.pathPrefix.trim()
  if (pathPrefix && !pathPrefix.startsWith('/')) errors.pathPrefix = "starts with '/'"
  const method = draft.method.trim().toUpperCase()
  if (method && !/^[A-Z]+$/.test(method)) errors.method = 'an HTTP method, e.g. POST'
  const headerName = draft.headerName.trim()
  if (headerName && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(headerName)) errors.headerName = 'a header name'
  const jsonPath = draft.jsonPath.trim()
  if (jsonPath && !/^[^.\s]+(?:\.[^.\s]+)*$/.test(jsonPath)) errors.jsonPath = 'a dotted path such as type or data.object.status'
  const rewritePrefix = draft.rewritePrefix.trim()
  const rewriteReplacement = draft.rewriteReplacement.trim()
  if (rewritePrefix && !rewritePrefix.startsWith('/')) errors.rewritePrefix = "starts with '/'"
  if (rewriteReplacement && (!rewritePrefix || !rewriteReplacement.startsWith('/'))) {
    errors.rewriteReplacement = rewritePrefix ? "empty (strip the prefix) or a path starting with '/'" : 'give the prefix to replace first'
  }
  const remove = draft.removeHeaders
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  if (remove.some((name) => !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name))) errors.removeHeaders = 'header names, separated by commas'
  const add = parseHeaderLines(draft.addHeaders)
  if (!add.ok) errors.addHeaders = add.error
  const timeout = number(draft.timeoutSeconds, { min: 0, max: DAY_SECONDS })
  if (timeout === null) errors.timeoutSeconds = 'seconds, 0 to wait forever'

  let retry: RuleInput['retry'] = draft.retryPreset === 'custom' ? undefined : draft.retryPreset
  if (draft.retryPreset === 'custom') {
    const base = number(draft.retryBaseSeconds, { min: 0, max: DAY_SECONDS })
    const factor = number(draft.retryFactor, { min: 1, max: 10 })
    const maxDelay = number(draft.retryMaxDelaySeconds, { min: 0, max: DAY_SECONDS })
    const maxRetries = number(draft.retryMaxRetries, { min: 0, max: 50, integer: true })
    if (base === null) errors.retryBaseSeconds = 'seconds'
    if (factor === null) errors.retryFactor = 'from 1 to 10'
    if (maxDelay === null) errors.retryMaxDelaySeconds = 'seconds'
    if (maxRetries === null) errors.retryMaxRetries = 'a whole number from 0 to 50'
    if (base !== null && factor !== null && maxDelay !== null && maxRetries !== null) {
      retry = { baseMs: Math.round(base * 1000), factor, maxDelayMs: Math.round(maxDelay * 1000), maxRetries, on: draft.retryOn }
    }
  }
  if (Object.keys(errors).length > 0 || !add.ok || timeout === null) return { ok: false, errors }

  const input: RuleInput = {
    name: draft.name.trim(),
    enabled: draft.enabled,
    match: {
      pathPrefix: pathPrefix || null,
      method: method || null,
      header: headerName ? { name: headerName, value: draft.headerValue } : null,
      jsonField: jsonPath ? { path: jsonPath, value: draft.jsonValue } : null
    },
    target,
    pathRewrite: rewritePrefix ? { prefix: rewritePrefix, replacement: rewriteReplacement } : null,
    headers: { remove, add: add.headers },
    preserveHost: draft.preserveHost,
    timeoutMs: Math.round(timeout * 1000),
    mode: draft.mode,
    retry,
    clientCertificateId: draft.clientCertificateId
  }
  if (draft.id) input.id = draft.id
  return { ok: true, input }
}

/** One line saying what a rule matches, for the collapsed rule list. */
export function describeMatch(draft: RuleDraft): string {
  const parts: string[] = []
  if (draft.method.trim()) parts.push(draft.method.trim().toUpperCase())
  if (draft.pathPrefix.trim()) parts.push(`path ${draft.pathPrefix.trim()}*`)
  if (draft.headerName.trim()) parts.push(`${draft.headerName.trim()}: ${draft.headerValue}`)
  if (draft.jsonPath.trim()) parts.push(`${draft.jsonPath.trim()} = ${draft.jsonValue}`)
  return parts.length === 0 ? 'every request' : parts.join(' and ')
}
