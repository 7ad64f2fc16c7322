import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { type Finding, isNearMiss, type VerdictStep } from '../../../../../shared/model/verdict'
import { nearMissSearch } from '../../diagnostics/near-miss-search'
import { urlVariants } from '../../diagnostics/url-variants'
import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { previewSignedContent } from '../../hmac/signed-content-preview'
import { matchEncoding } from '../../primitives/signature-encoding'
import { signaturesEqual } from '../../primitives/timing-safe-equal'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome, stringOption } from '../../scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { clip, optionIssue, parseFailure } from './preset-helpers'

const V3 = 'X-HubSpot-Signature-v3'
const LEGACY = 'X-HubSpot-Signature'
const VERSION = 'X-HubSpot-Signature-Version'
const TIMESTAMP = 'X-HubSpot-Request-Timestamp'
/** Bound the other-key search of the legacy (non-HMAC) check, as the HMAC diagnosis does. */
const MAX_OTHER_KEYS = 200

const optionsSchema = z.object({
  /** Force a signature version instead of picking v3 when present, else X-HubSpot-Signature-Version. */
  version: z.enum(['v1', 'v2', 'v3']).optional(),
  /** The webhook URL exactly as configured in HubSpot (what v2/v3 sign), when it differs from the arrival URL. */
  webhookUrl: z.url().max(2048).optional()
})

export type Version = 'v1' | 'v2' | 'v3'

function signedUrl(request: VerifyRequest, options: Record<string, unknown>): string {
  return stringOption(options, 'webhookUrl', request.url)
}

export function pickVersion(request: VerifyRequest, options: Record<string, unknown>): Version {
  if (options.version === 'v1' || options.version === 'v2' || options.version === 'v3') return options.version
  if (hasHeader(request, V3)) return 'v3'
  const declared = header(request, VERSION)?.trim().toLowerCase()
  return declared === 'v2' ? 'v2' : 'v1'
}

/**
 * HubSpot v3: `X-HubSpot-Signature-v3: <base64>`, HMAC-SHA256 with the app's client secret (as
 * typed) over method + URL + body + X-HubSpot-Request-Timestamp (milliseconds), exactly as
 * @hubspot/api-client's Signature.getSignature builds it; refused when more than 300 s old.
 */
export const hubspotV3Spec: HmacSpec = {
  id: 'hubspot',
  label: 'HubSpot',
  detect: (request) => (hasHeader(request, V3) || hasHeader(request, LEGACY) ? 1 : 0),
  parse: parseV3,
  content: (request, parsed, options) => [
    Buffer.from(request.method + signedUrl(request, options), 'utf8'),
    request.body,
    Buffer.from(parsed.timestampRaw ?? '', 'utf8')
  ],
  encoding: 'base64',
  secretDecoding: 'utf8',
  timestamp: { toleranceSeconds: 300, direction: 'past' },
  coversUrl: true,
  checkKey: (key) => optionIssue(optionsSchema.safeParse(key.options)),
  signedContentLabel: 'method + URL + body + timestamp'
}

function parseV3(request: VerifyRequest, options: Record<string, unknown>): HmacParse {
  const raw = header(request, V3)
  if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${V3}.`)
  if (raw.trim() === '') return parseFailure('SIG_HEADER_MALFORMED', `${V3} is empty.`)
  const timestampRaw = header(request, TIMESTAMP)?.trim()
  if (timestampRaw === undefined) return parseFailure('TIMESTAMP_MISSING', `Missing header ${TIMESTAMP}.`)
  if (!/^\d{1,16}$/.test(timestampRaw))
    return parseFailure('SIG_HEADER_MALFORMED', `${TIMESTAMP} is not a Unix timestamp in milliseconds: "${clip(timestampRaw)}".`)
  return {
    signatures: [raw.trim()],
    algorithm: 'sha256',
    timestamp: Number(timestampRaw) / 1000,
    timestampRaw,
    steps: [
      { label: 'Version', ok: true, detail: 'v3 (HMAC)' },
      { label: 'Signed URL', ok: true, detail: `${request.method} ${signedUrl(request, options)}` }
    ]
  }
}

const v3Scheme = createHmacScheme(hubspotV3Spec)

/** v1: SHA-256(clientSecret + body); v2: SHA-256(clientSecret + method + URL + body). Plain hashes, not HMACs. */
export function legacyContent(secret: string, version: 'v1' | 'v2', request: VerifyRequest, options: Record<string, unknown>): Buffer {
  const middle = version === 'v2' ? request.method + signedUrl(request, options) : ''
  return Buffer.concat([Buffer.from(secret + middle, 'utf8'), request.body])
}

function sha256(content: Buffer): Buffer {
  return createHash('sha256').update(content).digest()
}

function verifyLegacy(request: VerifyRequest, key: KeyEntry, context: SchemeContext, version: 'v1' | 'v2'): SchemeOutcome {
  const raw = header(request, LEGACY)
  const steps: VerdictStep[] = [
    { label: 'Version', ok: true, detail: `${version} (SHA-256 of secret + ${version === 'v2' ? 'method + URL + ' : ''}body, not an HMAC)` }
  ]
  if (raw === undefined) return failed('SIG_HEADER_MISSING', `Missing header ${LEGACY} (signature ${version}).`, steps)
  const received = raw.trim()
  if (received === '') return failed('SIG_HEADER_MALFORMED', `${LEGACY} is empty.`, steps)
  steps.push({ label: 'Signature header', ok: true, detail: '1 signature(s), sha256' })
  const secret = key.material.secret
  if (!secret) return failed('KEY_UNUSABLE', `Key "${key.name}" has no secret.`, steps)
  const options = key.options
  const content = legacyContent(secret, version, request, options)
  const digest = sha256(content)
  const expected = digest.toString('hex')
  const matched = signaturesEqual(received, expected)
  const label = version === 'v2' ? 'secret + method + URL + body' : 'secret + body'
  steps.push({ label: `Signed content (${label})`, ok: true, detail: `${content.length} bytes` })
  steps.push({ label: 'SHA-256', ok: matched, detail: matched ? 'SHA-256 matches' : 'the signature does not match' })
  const base = {
    // Never show the secret: the preview starts after it.
    signedContent: `<client secret>${previewSignedContent(content.subarray(Buffer.byteLength(secret, 'utf8')))}`,
    expected,
    received: [received]
  }
  if (matched) return { ok: true, code: null, summary: `Signature matches key "${key.name}".`, steps, findings: [], ...base }

  const findings: Finding[] = []
  const matches = (bytes: Buffer) => matchEncoding(received, bytes) !== null
  const encoded = matchEncoding(received, digest)
  if (encoded && (encoded.encoding !== 'hex' || encoded.note)) {
    findings.push({
      code: 'SIGNATURE_ENCODING',
      message: `The signature is the right hash, but written as ${encoded.note ?? encoded.encoding}; HubSpot ${version} uses lower-case hex.`
    })
  }
  const search = nearMissSearch(request, context)
  for (const variant of search.bodyVariants(content.length)) {
    if (matches(sha256(legacyContent(secret, version, { ...request, body: variant.body }, options)))) {
      findings.push({ code: 'BODY_CHANGED', message: `The signature matches the body ${variant.label}: the body changed between signing and delivery.` })
      break
    }
  }
  const urls = version === 'v2' && typeof options.webhookUrl !== 'string' ? urlVariants(request.url) : []
  if (search.allows('URL variants', urls.length, content.length)) {
    for (const variant of urls) {
      if (matches(sha256(legacyContent(secret, version, { ...request, url: variant.url }, options)))) {
        findings.push({
          code: 'URL_VARIANT',
          message: `The signature matches the URL ${variant.label} (${variant.url}): the sender signed the URL it was configured with, not the one that arrived.`
        })
        break
      }
    }
  }
  const others = context.otherKeys.slice(0, MAX_OTHER_KEYS).filter((other) => other.id !== key.id && other.material.secret)
  if (search.allows('other keys', others.length, content.length)) {
    for (const other of others) {
      if (matches(sha256(legacyContent(other.material.secret!, version, request, options)))) {
        const where = other.endpointIds.length > 0 ? `, bound to ${other.endpointIds.join(', ')}` : ''
        findings.push({
          code: 'OTHER_KEY',
          keyId: other.id,
          message: `The signature matches another key: "${other.name}" (${other.scheme}, ${other.status}${where}).`
        })
      }
    }
  }
  findings.push(...search.findings())
  const lead = findings.find(isNearMiss)
  const skipped = search.skippedClause()
  const mismatch = `Signature mismatch: the ${version} signature does not match key "${key.name}"`
  return {
    ok: false,
    code: 'SIG_MISMATCH',
    summary: lead
      ? `Signature mismatch. ${lead.message}`
      : skipped
        ? `${mismatch}; ${skipped}.`
        : `${mismatch}, and no usual mistake explains it (wrong client secret?).`,
    steps,
    findings,
    ...base
  }
}

/**
 * HubSpot: v3 (HMAC, preferred whenever X-HubSpot-Signature-v3 is present) or the legacy v1/v2
 * SHA-256 hashes in X-HubSpot-Signature, chosen by X-HubSpot-Signature-Version. The key option
 * `version` forces one. coversUrl (v2, v3): URL variants are diagnosed.
 */
export const hubspot: Scheme & { spec: HmacSpec } = {
  ...v3Scheme,
  verify: (request, key, context) => {
    const version = pickVersion(request, key.options)
    return version === 'v3' ? v3Scheme.verify(request, key, context) : verifyLegacy(request, key, context, version)
  }
}
