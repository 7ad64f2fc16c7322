import type { KeyStatus } from './keyring'

/**
 * The outcome of checking one delivery. A failed check is a normal result for an inspector:
 * it is data with a stable `code` and a sentence saying why, never an exception.
 */
export type VerdictStatus = 'valid' | 'invalid' | 'decrypted' | 'unchecked'

export type VerdictCode =
  | 'SIG_MISMATCH'
  | 'SIG_HEADER_MISSING'
  | 'SIG_HEADER_MALFORMED'
  | 'TIMESTAMP_MISSING'
  | 'TIMESTAMP_STALE'
  | 'TIMESTAMP_FUTURE'
  | 'DUPLICATE_DELIVERY'
  | 'KEY_INACTIVE'
  | 'KEY_DELETED'
  | 'KEY_UNUSABLE'
  | 'UNKNOWN_KEY_ID'
  | 'DECRYPT_FAILED'
  | 'PAYLOAD_MALFORMED'
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'CERT_UNTRUSTED'
  | 'CREDENTIAL_MISSING'
  | 'CREDENTIAL_MISMATCH'
  | 'NO_KEY'
  | 'NO_SCHEME'
  | 'KEYRING_LOCKED'

/**
 * A mistake that, undone, would make the check pass: the "why" users come for. One code is not a
 * mistake: NEAR_MISS_SKIPPED says which usual mistakes were not tried (see isNearMiss).
 */
export type FindingCode =
  | 'SECRET_DECODING'
  | 'SIGNATURE_ENCODING'
  | 'PAYLOAD_ENCODING'
  | 'BODY_CHANGED'
  /** The delivery came through smee, which re-serialises bodies: the likely cause of a mismatch. */
  | 'BODY_RESERIALIZED'
  | 'OTHER_KEY'
  | 'URL_VARIANT'
  | 'TIMESTAMP_UNIT'
  /**
   * The near-miss search, or part of it, did not run: the body is over the size Hookscope searches
   * (4 MiB), or the search would hash more than one delivery may take. Listed after the findings.
   */
  | 'NEAR_MISS_SKIPPED'

export interface Finding {
  code: FindingCode
  message: string
  /** Keyring entry involved, when the finding is about another key. */
  keyId?: string
}

/** Whether a finding names a mistake that explains the failure (NEAR_MISS_SKIPPED only says what was not tried). */
export function isNearMiss(finding: Pick<Finding, 'code'>): boolean {
  return finding.code !== 'NEAR_MISS_SKIPPED'
}

export interface VerdictStep {
  label: string
  ok: boolean
  detail?: string
}

export interface Verdict {
  status: VerdictStatus
  /** Scheme id that decided (null: none applied). */
  scheme: string | null
  /** Keyring entry id that matched or was tried first. */
  keyId: string | null
  code: VerdictCode | null
  /** One sentence: what happened and why. */
  summary: string
  steps: VerdictStep[]
  findings: Finding[]
  /** What was signed (preview, at most 4 KiB, never key material). */
  signedContent?: string
  /**
   * The first characters of the signature Hookscope computed, in the scheme's encoding: enough to
   * compare by eye. The whole value is never stored (it would be a signature under the real key for
   * a body anyone can post): `deliveries.expectedSignature` computes it on request while the
   * keyring is unlocked.
   */
  expectedPrefix?: string
  /** The signatures the request carried. */
  received?: string[]
  /**
   * The signed timestamp against the arrival: positive skew = sent before it arrived. `direction`
   * 'past': only old timestamps are refused (Stripe); 'both': ±tolerance. Absent in verdicts stored
   * before it existed (read as 'both').
   */
  timestamp?: { value: number; skewSeconds: number; toleranceSeconds: number; direction?: 'both' | 'past' }
  /** Sender's delivery id (webhook-id, X-GitHub-Delivery...), used for duplicate detection. */
  deliveryId?: string
  duplicateOf?: string
  decrypted?: { bodyBase64: string; keyId: string | null; keyStatus: KeyStatus | null }
  token?: { protectedHeader: Record<string, unknown>; payload?: unknown }
  credential?: { kind: string; expected: string; received: string | null }
  checkedAt: number
}

/**
 * Where a verdict's signed content sits around its delivery's body: the bytes before and after it,
 * one character per byte. The engine stores this instead of `signedContent` when it can, so that
 * capture never builds the preview; it is expanded before any verdict leaves the engine.
 */
export interface SignedContentRef {
  before: string
  after: string
}

/** A verdict as the engine stores it (never sent: the API and the UI always get a `Verdict`). */
export type CompactVerdict = Verdict & { signedContentRef?: SignedContentRef }

/** What the live list shows per delivery. */
export interface VerdictBadge {
  status: VerdictStatus
  scheme: string | null
  code: VerdictCode | null
}

/** The badge of a verdict: what lists show, without steps or signed content. */
export function verdictBadge(verdict: Pick<Verdict, 'status' | 'scheme' | 'code'>): VerdictBadge {
  return { status: verdict.status, scheme: verdict.scheme, code: verdict.code }
}
