import { createHmac } from 'node:crypto'
import type { KeyEntry, KeyMaterialField } from '../../../../shared/model/keyring'
import { type Finding, isNearMiss, type VerdictCode, type VerdictStep } from '../../../../shared/model/verdict'
import { nearMissSearch } from '../diagnostics/near-miss-search'
import { decodeSecret, SECRET_DECODING_LABEL, type SecretDecoding } from '../primitives/secret-decoding'
import { encodeSignature, type SignatureEncoding } from '../primitives/signature-encoding'
import type { TimestampPolicy } from '../primitives/timestamp-window'
import { signaturesEqual } from '../primitives/timing-safe-equal'
import { failed, numberOption, type Scheme, type SchemeContext, type SchemeOutcome } from '../scheme'
import { checkSignedTimestamp, staleSignatureSummary, timestampUnitFindings } from '../signed-timestamp'
import type { VerifyRequest } from '../verify-request'
import { diagnoseHmac } from './hmac-diagnosis'
import { describeSigned, type SignedBytes, signedLength } from './signed-content-preview'

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512'

/** What a preset reads off the request: the signatures and the values the MAC covers. */
export interface HmacParsed {
  signatures: string[]
  algorithm: HmacAlgorithm
  /** Unix seconds, when the scheme signs a timestamp. */
  timestamp?: number
  timestampRaw?: string
  /** The sender's id for this delivery, for duplicate detection. */
  deliveryId?: string
  /** Anything else the content function needs (e.g. Slack's version, Twilio's params). */
  fields?: Record<string, string>
  steps?: VerdictStep[]
}

export type HmacParse = HmacParsed | { failure: { code: VerdictCode; summary: string; steps?: VerdictStep[] } }

/**
 * A provider's HMAC scheme as data. Every HMAC preset is one of these; createHmacScheme turns it
 * into a Scheme with the verification, the timestamp window and the near-miss diagnosis, so no
 * preset carries its own copy of the crypto.
 */
export interface HmacSpec {
  id: string
  label: string
  detect(request: VerifyRequest, options: Record<string, unknown>): number
  parse(request: VerifyRequest, options: Record<string, unknown>): HmacParse
  /**
   * The bytes the sender MACs, as one buffer or as parts with `request.body` itself among them (no
   * copy, and the verdict's preview can then wait until it is shown). Called with variants of
   * `request` (body, URL) during diagnosis.
   */
  content(request: VerifyRequest, parsed: HmacParsed, options: Record<string, unknown>): SignedBytes
  encoding: SignatureEncoding | ((options: Record<string, unknown>) => SignatureEncoding)
  secretDecoding: SecretDecoding | ((secret: string, options: Record<string, unknown>) => SecretDecoding)
  /** Default window; a key's `options.toleranceSeconds` overrides it. */
  timestamp?: TimestampPolicy | ((options: Record<string, unknown>) => TimestampPolicy | undefined)
  /** Extra key checks (e.g. option shapes) beyond "has a secret"; an error sentence or null. */
  checkKey?: (key: Pick<KeyEntry, 'material' | 'options' | 'keyId'>) => string | null
  /** The MAC covers the URL, so URL variants are worth trying when it fails. */
  coversUrl?: boolean
  /** Describes what is signed, for the verdict's steps (e.g. "webhook-id.webhook-timestamp.body"). */
  signedContentLabel: string
}

const NEEDS: readonly KeyMaterialField[] = ['secret']
/** One shared object, so per-options caches also hit when a scheme is asked without a key. */
const NO_OPTIONS: Record<string, unknown> = Object.freeze({})

export function hmac(algorithm: HmacAlgorithm, key: Buffer, content: SignedBytes): Buffer {
  const mac = createHmac(algorithm, key)
  if (Buffer.isBuffer(content)) mac.update(content)
  else for (const part of content) mac.update(part)
  return mac.digest()
}

export function createHmacScheme(spec: HmacSpec): Scheme & { spec: HmacSpec } {
  return {
    id: spec.id,
    label: spec.label,
    needs: NEEDS,
    spec,
    detect: (request, options = NO_OPTIONS) => spec.detect(request, options),
    checkKey: (key) => (key.material.secret ? (spec.checkKey?.(key) ?? null) : `${spec.label} needs a secret`),
    verify: (request, key, context) => verifyHmac(spec, request, key, context)
  }
}

function verifyHmac(spec: HmacSpec, request: VerifyRequest, key: KeyEntry, context: SchemeContext): SchemeOutcome {
  const options = key.options
  const parsed = spec.parse(request, options)
  if ('failure' in parsed) return failed(parsed.failure.code, parsed.failure.summary, parsed.failure.steps ?? [])
  const steps: VerdictStep[] = parsed.steps ? parsed.steps.slice() : []
  steps.push({ label: 'Signature header', ok: true, detail: `${parsed.signatures.length} signature(s), ${parsed.algorithm}` })

  const secret = key.material.secret
  if (!secret) return failed('KEY_UNUSABLE', `Key "${key.name}" has no secret.`, steps)
  const decoding = typeof spec.secretDecoding === 'function' ? spec.secretDecoding(secret, options) : spec.secretDecoding
  const keyBytes = decodeSecret(secret, decoding)
  if (!keyBytes) {
    steps.push({ label: 'Secret', ok: false, detail: `not valid as ${SECRET_DECODING_LABEL[decoding]}` })
    return failed('KEY_UNUSABLE', `The secret of key "${key.name}" is not valid as ${SECRET_DECODING_LABEL[decoding]}.`, steps)
  }
  steps.push({ label: 'Secret', ok: true, detail: SECRET_DECODING_LABEL[decoding] })

  const encoding = typeof spec.encoding === 'function' ? spec.encoding(options) : spec.encoding
  const content = spec.content(request, parsed, options)
  const digest = hmac(parsed.algorithm, keyBytes, content)
  const expected = encodeSignature(digest, encoding)
  const matched = parsed.signatures.some((signature) => signaturesEqual(signature, expected))
  steps.push({ label: `Signed content (${spec.signedContentLabel})`, ok: true, detail: `${signedLength(content)} bytes` })
  steps.push({
    label: 'HMAC',
    ok: matched,
    detail: matched ? `HMAC-${parsed.algorithm.toUpperCase()} matches` : `none of ${parsed.signatures.length} signature(s) match`
  })

  const basePolicy = typeof spec.timestamp === 'function' ? spec.timestamp(options) : spec.timestamp
  const policy = basePolicy && {
    ...basePolicy,
    toleranceSeconds: numberOption(options, 'toleranceSeconds', basePolicy.toleranceSeconds)
  }
  const { timestamp, failure: timestampFailure } = checkSignedTimestamp(parsed.timestamp, context.now, policy, steps)
  // One object shape for every outcome, written out (no spreads: this runs for every delivery).
  const signed = describeSigned(content, request.body)
  const outcome = (ok: boolean, code: VerdictCode | null, summary: string, findings: Finding[]): SchemeOutcome => ({
    ok,
    code,
    summary,
    steps,
    findings,
    timestamp,
    signedContent: signed.signedContent,
    signedContentRef: signed.signedContentRef,
    expected,
    received: parsed.signatures,
    deliveryId: parsed.deliveryId
  })

  if (matched && !timestampFailure) return outcome(true, null, `Signature matches key "${key.name}".`, [])
  if (matched && timestampFailure) return outcome(false, timestampFailure.code, staleSignatureSummary(timestampFailure), timestampUnitFindings(parsed))
  const search = nearMissSearch(request, context)
  const findings = [
    ...diagnoseHmac({ spec, request, parsed, key, keyBytes, decoding, encoding, context, content, digest, search }),
    ...timestampUnitFindings(parsed),
    ...search.findings()
  ]
  const lead = findings.find(isNearMiss)
  const skipped = search.skippedClause()
  const summary = lead
    ? `Signature mismatch. ${lead.message}`
    : skipped
      ? `Signature mismatch: the signature does not match key "${key.name}"; ${skipped}.`
      : `Signature mismatch: the signature does not match key "${key.name}", and no usual mistake explains it (wrong secret?).`
  return outcome(false, 'SIG_MISMATCH', summary, findings)
}
