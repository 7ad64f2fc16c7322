import type { KeyEntry, KeyMaterialField } from '../../../shared/model/keyring'
import type { Finding, SignedContentRef, Verdict, VerdictCode, VerdictStep } from '../../../shared/model/verdict'
import type { NearMissBudget } from './diagnostics/near-miss-search'
import type { VerifyRequest } from './verify-request'

export interface SchemeContext {
  /** When the delivery arrived (ms); timestamps are judged against this, not the wall clock. */
  now: number
  /** The rest of the keyring, for "another key would match" findings. */
  otherKeys: readonly KeyEntry[]
  /**
   * What is left of the delivery's near-miss budget, shared by every key tried on it (see
   * near-miss-search.ts); absent when a scheme is called alone, which then has a budget of its own.
   */
  nearMiss?: NearMissBudget
}

/** What one scheme says about one delivery with one key. */
export type SchemeOutcome = Pick<Verdict, 'signedContent' | 'received' | 'timestamp' | 'deliveryId' | 'decrypted' | 'token' | 'credential'> & {
  /** The whole signature the scheme computed. Never stored: the verdict keeps a prefix (verify-delivery.ts). */
  expected?: string
  /** In place of `signedContent`: where the signed bytes sit around the body (the preview is built when shown). */
  signedContentRef?: SignedContentRef
  ok: boolean
  code: VerdictCode | null
  summary: string
  steps: VerdictStep[]
  findings: Finding[]
}

/**
 * One verification scheme (a provider preset, or a generic family). Small adapters over the shared
 * primitives, in the manner of svix over standard-webhooks.
 */
export interface Scheme {
  id: string
  label: string
  /** Key fields the scheme can use (a key needs at least one). */
  needs: readonly KeyMaterialField[]
  /**
   * How sure we are that this scheme applies, from the request alone (0: not at all, 1: its own
   * headers are there). `options` are the key's options, for schemes whose header names are configurable.
   */
  detect(request: VerifyRequest, options?: Record<string, unknown>): number
  verify(request: VerifyRequest, key: KeyEntry, context: SchemeContext): SchemeOutcome | Promise<SchemeOutcome>
  /**
   * Whether a key can work with this scheme (material present and parseable, options well-formed,
   * keyId format). Returns a sentence naming the problem, never echoing key material; null if fine.
   */
  checkKey(key: Pick<KeyEntry, 'material' | 'options' | 'keyId'>): string | null
}

export function failed(code: VerdictCode, summary: string, steps: VerdictStep[] = [], extra: Partial<SchemeOutcome> = {}): SchemeOutcome {
  return { ok: false, code, summary, steps, findings: [], ...extra }
}

/** A key option as a number, else the fallback (options come from users and files). */
export function numberOption(options: Record<string, unknown>, name: string, fallback: number): number {
  const value = options[name]
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}

export function stringOption(options: Record<string, unknown>, name: string, fallback: string): string {
  const value = options[name]
  return typeof value === 'string' && value.length > 0 ? value : fallback
}
