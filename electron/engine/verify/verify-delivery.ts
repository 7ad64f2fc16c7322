import type { KeyEntry, KeyStatus } from '../../../shared/model/keyring'
import { type CompactVerdict, isNearMiss, type Verdict } from '../../../shared/model/verdict'
import { expandVerdict } from './compact-verdict'
import { createNearMissBudget } from './diagnostics/near-miss-search'
import type { Scheme, SchemeContext, SchemeOutcome } from './scheme'
import { pathOf, type VerifyRequest } from './verify-request'

export interface KeyringSnapshot {
  locked: boolean
  keys: readonly KeyEntry[]
}

export interface VerifyOptions {
  schemes: readonly Scheme[]
  /** When the delivery arrived (ms): timestamps are judged against this. */
  now: number
  /** When this check runs (ms). */
  checkedAt: number
  /**
   * Leave the signed-content preview as a reference to the body (a CompactVerdict): the capture
   * worker stores verdicts so, and the preview is built when the verdict is read (expandVerdict).
   */
  compact?: boolean
}

const STATUS_ORDER: Record<KeyStatus, number> = { ACTIVE: 0, INACTIVE: 1, DELETED: 2 }
/** A key bound to this endpoint or path outranks a catch-all key of an equally likely scheme. */
const BINDING_BONUS = 0.05

/**
 * Characters of the expected signature a verdict keeps: enough to compare by eye (32 bits of hex),
 * far too few to stand in for the signature.
 */
export const EXPECTED_PREFIX_CHARS = 8

/** A verdict, and the whole expected signature it was cut from (never stored; null when none was computed). */
export interface CheckedDelivery {
  /** Compact only when `compact` was asked for. */
  verdict: CompactVerdict
  expected: string | null
}

/**
 * Checks one delivery against the whole keyring without being told the scheme: find the schemes
 * whose headers are present and that have keys, try their keys (ACTIVE first), and report the
 * best explanation. Never throws for a bad delivery: every outcome is a Verdict.
 */
export async function verifyDelivery(request: VerifyRequest, keyring: KeyringSnapshot, options: VerifyOptions): Promise<CompactVerdict> {
  return (await checkDelivery(request, keyring, options)).verdict
}

/** verifyDelivery, plus the whole expected signature: for `deliveries.expectedSignature` and `hookscope verify`. */
export async function checkDelivery(request: VerifyRequest, keyring: KeyringSnapshot, options: VerifyOptions): Promise<CheckedDelivery> {
  const checked = await checkCompact(request, keyring, options)
  return options.compact ? checked : { ...checked, verdict: expandVerdict(checked.verdict, request.body) }
}

async function checkCompact(request: VerifyRequest, keyring: KeyringSnapshot, options: VerifyOptions): Promise<CheckedDelivery> {
  const { schemes, checkedAt } = options
  const byId = new Map(schemes.map((scheme) => [scheme.id, scheme]))
  const applicable = keyring.keys.filter((key) => byId.has(key.scheme) && appliesTo(key, request))

  let best: { scheme: Scheme; score: number } | undefined
  for (const key of applicable) {
    const scheme = byId.get(key.scheme)!
    const score = scheme.detect(request, key.options) + (isBound(key) ? BINDING_BONUS : 0)
    if (score > BINDING_BONUS && (!best || score > best.score)) best = { scheme, score }
  }
  // Keys bound to this endpoint/path are expected to apply even when their headers are missing:
  // "the Stripe-Signature header is missing" beats "no scheme found".
  if (!best) {
    const bound = applicable.find(isBound)
    if (bound) best = { scheme: byId.get(bound.scheme)!, score: 0 }
  }
  if (best) return verifyWithScheme(request, best.scheme, applicable, keyring.keys, options)

  const guess = schemes
    .map((scheme) => ({ scheme, score: scheme.detect(request) }))
    .filter((candidate) => candidate.score >= 0.5)
    .sort((a, b) => b.score - a.score)[0]
  if (guess && keyring.locked) {
    return { verdict: unchecked('KEYRING_LOCKED', guess.scheme.id, `Looks like ${guess.scheme.label}, but the keyring is locked.`, checkedAt), expected: null }
  }
  if (guess) {
    const summary = `Looks like ${guess.scheme.label}, but the keyring has no ${guess.scheme.label} key for this endpoint.`
    return { verdict: unchecked('NO_KEY', guess.scheme.id, summary, checkedAt), expected: null }
  }
  return { verdict: unchecked('NO_SCHEME', null, 'No signature, token or credential that Hookscope knows was found.', checkedAt), expected: null }
}

async function verifyWithScheme(
  request: VerifyRequest,
  scheme: Scheme,
  applicable: readonly KeyEntry[],
  allKeys: readonly KeyEntry[],
  options: VerifyOptions
): Promise<CheckedDelivery> {
  const candidates = applicable
    .filter((key) => key.scheme === scheme.id)
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || Number(isBound(b)) - Number(isBound(a)))
  const outcomes: { key: KeyEntry; outcome: SchemeOutcome }[] = []
  // One near-miss budget for the delivery, whatever the number of keys tried on it.
  const nearMiss = createNearMissBudget()
  for (const key of candidates) {
    const otherKeys = allKeys.filter((other) => other.id !== key.id)
    const outcome = await runScheme(scheme, request, key, { now: options.now, otherKeys, nearMiss })
    if (outcome.ok) return toVerdict(scheme, key, withKeyStatus(outcome, key), options.checkedAt)
    outcomes.push({ key, outcome })
  }
  // The signature was right with some key but something else failed (timestamp): that is the story.
  // Keys that are not the one a payload names (UNKNOWN_KEY_ID) explain nothing when the named one was tried.
  const telling = outcomes.filter(({ outcome }) => outcome.code !== 'UNKNOWN_KEY_ID')
  const pool = telling.length > 0 ? telling : outcomes
  const chosen =
    pool.find(({ outcome }) => outcome.code === 'TIMESTAMP_STALE' || outcome.code === 'TIMESTAMP_FUTURE') ??
    pool.find(({ outcome }) => outcome.findings.some(isNearMiss)) ??
    pool[0]!
  return toVerdict(scheme, chosen.key, chosen.outcome, options.checkedAt)
}

async function runScheme(scheme: Scheme, request: VerifyRequest, key: KeyEntry, context: SchemeContext): Promise<SchemeOutcome> {
  try {
    return await scheme.verify(request, key, context)
  } catch (error) {
    // A scheme bug must not lose the delivery or hide the others; say so plainly.
    return {
      ok: false,
      code: 'KEY_UNUSABLE',
      summary: `${scheme.label} could not check this delivery with key "${key.name}" (${error instanceof Error ? error.name : 'error'}).`,
      steps: [],
      findings: []
    }
  }
}

/** A delivery made with an INACTIVE or DELETED key is reported as such, even though the crypto holds. */
function withKeyStatus(outcome: SchemeOutcome, key: KeyEntry): SchemeOutcome {
  if (key.status === 'ACTIVE') return outcome
  const when = key.status === 'DELETED' && key.deletedAt ? ` since ${new Date(key.deletedAt).toISOString()}` : ''
  return {
    ...outcome,
    ok: false,
    code: key.status === 'DELETED' ? 'KEY_DELETED' : 'KEY_INACTIVE',
    summary: `${outcome.summary.replace(/\.$/, '')}, but that key is ${key.status}${when}: the sender uses a key that is not active.`,
    decrypted: outcome.decrypted && { ...outcome.decrypted, keyStatus: key.status }
  }
}

function toVerdict(scheme: Scheme, key: KeyEntry, outcome: SchemeOutcome, checkedAt: number): CheckedDelivery {
  const { ok, code, summary, steps, findings, expected, ...extras } = outcome
  const status = ok ? (outcome.decrypted ? 'decrypted' : 'valid') : 'invalid'
  const verdict: CompactVerdict = { status, scheme: scheme.id, keyId: key.id, code, summary, steps, findings, ...extras, checkedAt }
  if (expected !== undefined) verdict.expectedPrefix = expected.slice(0, EXPECTED_PREFIX_CHARS)
  return { verdict, expected: expected ?? null }
}

function unchecked(code: Verdict['code'], scheme: string | null, summary: string, checkedAt: number): Verdict {
  return { status: 'unchecked', scheme, keyId: null, code, summary, steps: [], findings: [], checkedAt }
}

function isBound(key: KeyEntry): boolean {
  return key.endpointIds.length > 0 || key.pathPrefixes.length > 0
}

function appliesTo(key: KeyEntry, request: VerifyRequest): boolean {
  if (key.endpointIds.length > 0 && (!request.endpointId || !key.endpointIds.includes(request.endpointId))) return false
  if (key.pathPrefixes.length > 0) {
    const path = pathOf(request)
    if (!key.pathPrefixes.some((prefix) => path.startsWith(prefix))) return false
  }
  return true
}
