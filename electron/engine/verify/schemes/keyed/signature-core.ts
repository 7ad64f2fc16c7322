import { verify as cryptoVerify, type KeyObject } from 'node:crypto'
import type { KeyEntry, KeyMaterialField } from '../../../../../shared/model/keyring'
import { type Finding, isNearMiss, type VerdictCode, type VerdictStep } from '../../../../../shared/model/verdict'
import { type NearMissSearch, nearMissSearch } from '../../diagnostics/near-miss-search'
import { previewSignedContent } from '../../hmac/signed-content-preview'
import type { OptionsReader } from '../../options-reader'
import { BINARY_ENCODINGS, type BinaryEncoding, decodeBinary } from '../../primitives/keys/binary-text'
import { describeKey, expectKind, type KeyKind } from '../../primitives/keys/key-kind'
import { parsePublicKey } from '../../primitives/keys/parse-public-key'
import type { TimestampPolicy } from '../../primitives/timestamp-window'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome } from '../../scheme'
import { checkSignedTimestamp, staleSignatureSummary, timestampUnitFindings } from '../../signed-timestamp'
import { hasHeader, type VerifyRequest } from '../../verify-request'

/**
 * The public-key signature schemes (Ed25519, ECDSA, RSA) as data, the way HmacSpec describes the
 * HMAC presets: a preset says where the signatures and signed values are and which key type it
 * wants; this core does the verification, the timestamp window and the near-miss diagnosis
 * (signature encoding, body changed, another keyring key).
 */
export interface SignatureParsed {
  /** Signatures exactly as received. */
  signatures: string[]
  timestamp?: number
  timestampRaw?: string
  deliveryId?: string
  fields?: Record<string, string>
  steps?: VerdictStep[]
}

export type Failure = { failure: { code: VerdictCode; summary: string; steps?: VerdictStep[] } }
export type SignatureParse = SignatureParsed | Failure

export interface ResolvedKey {
  key: KeyObject
  /** Shown in steps, e.g. "platform certificate 5157F0…"; never key material. */
  label: string
  steps?: VerdictStep[]
}

export interface SignatureSpec<O> {
  id: string
  label: string
  needs: readonly KeyMaterialField[]
  options: OptionsReader<O>
  detect(request: VerifyRequest, options: O): number
  parse(request: VerifyRequest, options: O): SignatureParse
  /** The bytes the sender signs; called with body variants during diagnosis. */
  content(request: VerifyRequest, parsed: SignatureParsed, options: O): Buffer
  signatureEncoding: BinaryEncoding
  /** Hash for ECDSA/RSA; null for EdDSA. */
  digest: 'sha256' | null
  /** How ECDSA signatures are laid out on the wire (default DER). */
  dsaEncoding?: 'der' | 'ieee-p1363'
  keyKinds: readonly KeyKind[]
  /** The key that should verify this delivery (default: the entry's publicKey). */
  resolveKey?(key: KeyEntry, request: VerifyRequest, parsed: SignatureParsed, context: SchemeContext, options: O): ResolvedKey | Failure
  /** Every verification key an entry holds, for "another key would verify" (default: its publicKey). */
  candidateKeys?(key: KeyEntry): KeyObject[]
  timestamp?(options: O): TimestampPolicy | undefined
  signedContentLabel: string
  /** Checks beyond the options and the default "publicKey parses as the right type". */
  checkKey?(key: Pick<KeyEntry, 'material' | 'options' | 'keyId'>, options: O): string | null
  /** Describes the key in a failure summary. */
  keyNoun?: string
}

const MAX_OTHER_KEYS = 200

/** The spec stays reachable (as createHmacScheme's does), so the signers reuse its content and encodings. */
export function createSignatureScheme<O>(spec: SignatureSpec<O>): Scheme & { spec: SignatureSpec<O> } {
  return {
    spec,
    id: spec.id,
    label: spec.label,
    needs: spec.needs,
    detect: (request, raw = {}) => spec.detect(request, spec.options.read(raw)),
    checkKey: (key) =>
      spec.options.check(key.options) ?? (spec.checkKey ? spec.checkKey(key, spec.options.read(key.options)) : defaultCheckKey(spec, key.material.publicKey)),
    verify: (request, key, context) => verifyWithSpec(spec, request, key, context)
  }
}

function defaultCheckKey<O>(spec: SignatureSpec<O>, publicKey: string | undefined): string | null {
  if (!publicKey) return `${spec.label} needs a public key`
  const parsed = parsePublicKey(publicKey)
  if (!parsed.ok) return parsed.error
  return expectKind(parsed.key, spec.keyKinds, 'the public key')
}

export function defaultResolveKey<O>(spec: SignatureSpec<O>, key: KeyEntry): ResolvedKey | Failure {
  const parsed = parsePublicKey(key.material.publicKey)
  if (!parsed.ok) return { failure: { code: 'KEY_UNUSABLE', summary: `Key "${key.name}" cannot be used: ${parsed.error}.` } }
  const wrongKind = expectKind(parsed.key, spec.keyKinds, 'its public key')
  if (wrongKind) return { failure: { code: 'KEY_UNUSABLE', summary: `Key "${key.name}" cannot be used for ${spec.label}: ${wrongKind}.` } }
  return { key: parsed.key, label: `${describeKey(parsed.key)} public key (${parsed.format})` }
}

function defaultCandidates(key: KeyEntry): KeyObject[] {
  const parsed = parsePublicKey(key.material.publicKey)
  return parsed.ok ? [parsed.key] : []
}

/** Whether `signature` is a valid signature of `content` under `key`; never throws. */
export function verifyBytes(key: KeyObject, content: Buffer, signature: Buffer, digest: 'sha256' | null, dsaEncoding: 'der' | 'ieee-p1363' = 'der'): boolean {
  try {
    return cryptoVerify(digest, content, { key, dsaEncoding }, signature)
  } catch {
    return false
  }
}

export async function verifyWithSpec<O>(spec: SignatureSpec<O>, request: VerifyRequest, key: KeyEntry, context: SchemeContext): Promise<SchemeOutcome> {
  const options = spec.options.read(key.options)
  const parsed = spec.parse(request, options)
  if ('failure' in parsed) return failed(parsed.failure.code, parsed.failure.summary, parsed.failure.steps ?? [])
  const steps: VerdictStep[] = [...(parsed.steps ?? [])]
  steps.push({ label: 'Signature header', ok: true, detail: `${parsed.signatures.length} signature(s), ${spec.signatureEncoding}` })

  const resolved = spec.resolveKey ? spec.resolveKey(key, request, parsed, context, options) : defaultResolveKey(spec, key)
  if ('failure' in resolved) {
    return failed(resolved.failure.code, resolved.failure.summary, [...steps, ...(resolved.failure.steps ?? [])], {
      received: parsed.signatures,
      deliveryId: parsed.deliveryId
    })
  }
  steps.push(...(resolved.steps ?? []))
  steps.push({ label: 'Key', ok: true, detail: resolved.label })

  const content = spec.content(request, parsed, options)
  const decoded = parsed.signatures.map((text) => decodeBinary(text, spec.signatureEncoding))
  const usable = decoded.filter((bytes): bytes is Buffer => bytes !== null)
  const verifies = (publicKey: KeyObject, bytes: Buffer) => usable.some((signature) => verifyBytes(publicKey, bytes, signature, spec.digest, spec.dsaEncoding))
  const matched = verifies(resolved.key, content)
  steps.push({ label: `Signed content (${spec.signedContentLabel})`, ok: true, detail: `${content.length} bytes` })
  steps.push({
    label: 'Signature',
    ok: matched,
    detail: matched
      ? `verifies with the ${describeKey(resolved.key)} key`
      : usable.length === 0
        ? `no signature is valid ${spec.signatureEncoding}`
        : `none of ${usable.length} signature(s) verify`
  })

  const base = { signedContent: previewSignedContent(content), received: parsed.signatures, deliveryId: parsed.deliveryId }
  const policy = spec.timestamp?.(options)
  const { timestamp, failure: timestampFailure } = checkSignedTimestamp(parsed.timestamp, context.now, policy, steps)
  const unitFindings = timestampUnitFindings(parsed)

  if (matched && !timestampFailure) {
    return { ok: true, code: null, summary: `Signature verifies with key "${key.name}".`, steps, findings: [], timestamp, ...base }
  }
  if (matched && timestampFailure) {
    return {
      ok: false,
      code: timestampFailure.code,
      summary: staleSignatureSummary(timestampFailure),
      steps,
      findings: unitFindings,
      timestamp,
      ...base
    }
  }

  const search = nearMissSearch(request, context)
  const findings = [...diagnose(spec, request, parsed, options, key, resolved.key, context, content, search), ...unitFindings, ...search.findings()]
  const lead = findings.find(isNearMiss)
  const skipped = search.skippedClause()
  const code: VerdictCode = usable.length === 0 ? 'SIG_HEADER_MALFORMED' : 'SIG_MISMATCH'
  const what = usable.length === 0 ? `Signature header malformed: no signature is valid ${spec.signatureEncoding}.` : 'Signature mismatch.'
  const mismatch = `Signature mismatch: the signature does not verify with ${spec.keyNoun ?? 'the public key'} of key "${key.name}"`
  return {
    ok: false,
    code,
    summary: lead
      ? `${what} ${lead.message}`
      : usable.length === 0
        ? what
        : skipped
          ? `${mismatch}; ${skipped}.`
          : `${mismatch}, and no usual mistake explains it (wrong key, or the content was changed).`,
    steps,
    findings,
    timestamp,
    ...base
  }
}

function diagnose<O>(
  spec: SignatureSpec<O>,
  request: VerifyRequest,
  parsed: SignatureParsed,
  options: O,
  key: KeyEntry,
  publicKey: KeyObject,
  context: SchemeContext,
  content: Buffer,
  search: NearMissSearch
): Finding[] {
  const findings: Finding[] = []

  // The right signature, written in another encoding or (ECDSA) the other layout.
  const layouts: ('der' | 'ieee-p1363')[] = publicKey.asymmetricKeyType === 'ec' ? ['der', 'ieee-p1363'] : [spec.dsaEncoding ?? 'der']
  const readings: { encoding: BinaryEncoding; layout: 'der' | 'ieee-p1363'; bytes: Buffer }[] = []
  for (const text of parsed.signatures) {
    for (const encoding of BINARY_ENCODINGS) {
      const bytes = decodeBinary(text, encoding)
      if (!bytes) continue
      for (const layout of layouts) {
        if (encoding === spec.signatureEncoding && layout === (spec.dsaEncoding ?? 'der')) continue
        readings.push({ encoding, layout, bytes })
      }
    }
  }
  if (search.allows('other signature encodings', readings.length, content.length)) {
    for (const { encoding, layout, bytes } of readings) {
      if (!verifyBytes(publicKey, content, bytes, spec.digest, layout)) continue
      const how = [
        encoding !== spec.signatureEncoding ? encoding : null,
        layout !== (spec.dsaEncoding ?? 'der') ? `${layout === 'der' ? 'DER' : 'raw r||s (IEEE P1363)'} form` : null
      ]
        .filter(Boolean)
        .join(', ')
      findings.push({
        code: 'SIGNATURE_ENCODING',
        message: `The signature is right, but written as ${how}; ${spec.label} expects ${spec.signatureEncoding}${publicKey.asymmetricKeyType === 'ec' ? ` in ${(spec.dsaEncoding ?? 'der') === 'der' ? 'DER' : 'raw r||s'} form` : ''}.`
      })
      break
    }
  }

  const signatures = parsed.signatures.map((text) => decodeBinary(text, spec.signatureEncoding)).filter((b): b is Buffer => b !== null)
  const verifies = (candidate: KeyObject, bytes: Buffer) =>
    signatures.some((signature) => verifyBytes(candidate, bytes, signature, spec.digest, spec.dsaEncoding))

  // Each variant is checked against every signature (none readable: nothing to try).
  for (const variant of signatures.length > 0 ? search.bodyVariants(content.length * signatures.length) : []) {
    if (verifies(publicKey, spec.content({ ...request, body: variant.body }, parsed, options))) {
      findings.push({ code: 'BODY_CHANGED', message: `The signature verifies for the body ${variant.label}: the body changed between signing and delivery.` })
      break
    }
  }

  const candidatesOf = spec.candidateKeys ?? defaultCandidates
  const others = context.otherKeys
    .slice(0, MAX_OTHER_KEYS)
    .filter((other) => other.id !== key.id && other.scheme === spec.id)
    .map((other) => ({ other, candidates: candidatesOf(other) }))
  const trials = others.reduce((sum, { candidates }) => sum + candidates.length * signatures.length, 0)
  if (search.allows('other keys', trials, content.length)) {
    for (const { other, candidates } of others) {
      if (candidates.some((candidate) => verifies(candidate, content))) findings.push(otherKeyFinding(other, 'The signature verifies with another key'))
    }
  }
  return findings
}

export function otherKeyFinding(other: KeyEntry, lead: string): Finding {
  const where = other.endpointIds.length > 0 ? `, bound to ${other.endpointIds.join(', ')}` : ''
  const id = other.keyId ? `${other.keyId}, ` : ''
  return { code: 'OTHER_KEY', keyId: other.id, message: `${lead}: "${other.name}" (${id}${other.scheme}, ${other.status}${where}).` }
}

/** "Missing header(s): A, B." as a failure, or null when all are present. */
export function missingHeaders(request: VerifyRequest, names: readonly string[]): Failure | null {
  const missing = names.filter((name) => !hasHeader(request, name))
  if (missing.length === 0) return null
  return { failure: { code: 'SIG_HEADER_MISSING', summary: `Missing header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.` } }
}
