import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { type Finding, isNearMiss } from '../../../../../shared/model/verdict'
import { nearMissSearch } from '../../diagnostics/near-miss-search'
import type { HmacParse, HmacParsed, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { signaturesEqual } from '../../primitives/timing-safe-equal'
import { type Scheme, type SchemeContext, type SchemeOutcome, stringOption } from '../../scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { optionIssue, parseFailure, run, withOptions } from './preset-helpers'

const HEADER = 'X-Twilio-Signature'

const optionsSchema = z.object({
  /** The webhook URL exactly as configured in Twilio (what Twilio signs), when it differs from the arrival URL. */
  webhookUrl: z.url().max(2048).optional()
})

type Mode = 'form' | 'json' | 'url'

function signedUrl(request: VerifyRequest, options: Record<string, unknown>): string {
  return stringOption(options, 'webhookUrl', request.url)
}

function bodySha256Param(url: string): string | null {
  try {
    return new URL(url).searchParams.get('bodySHA256')
  } catch {
    return null
  }
}

/** How much of a body without a Content-Type is looked at to tell JSON from a form (leading whitespace included). */
const FIRST_BYTES = 1024

function isForm(request: VerifyRequest): boolean {
  const type = header(request, 'Content-Type')?.toLowerCase()
  if (type !== undefined) return type.includes('application/x-www-form-urlencoded')
  // No content type: Twilio's POSTs are forms; a JSON-looking body is not. Its first bytes tell:
  // the body is not turned into text whole (it may be a 10 MiB upload).
  const text = request.body.subarray(0, FIRST_BYTES).toString('utf8').trimStart()
  return request.method.toUpperCase() === 'POST' && request.body.length > 0 && !text.startsWith('{') && !text.startsWith('[')
}

/**
 * The string Twilio signs: the full URL, then for form POSTs every parameter name+value, names
 * sorted, a repeated name's values de-duplicated and sorted (twilio-node getExpectedTwilioSignature).
 * JSON bodies are not in it: their SHA-256 travels in the URL's bodySHA256 parameter instead.
 */
function twilioContent(request: VerifyRequest, parsed: HmacParsed, options: Record<string, unknown>): Buffer {
  let data = signedUrl(request, options)
  if (parsed.fields?.mode === 'form') {
    const grouped = new Map<string, Set<string>>()
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) {
      const values = grouped.get(name) ?? new Set<string>()
      values.add(value)
      grouped.set(name, values)
    }
    for (const name of [...grouped.keys()].sort()) {
      for (const value of [...grouped.get(name)!].sort()) data += name + value
    }
  }
  return Buffer.from(data, 'utf8')
}

function parseTwilio(request: VerifyRequest, options: Record<string, unknown>): HmacParse {
  const raw = header(request, HEADER)
  if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER}.`)
  if (raw.trim() === '') return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} is empty.`)
  const url = signedUrl(request, options)
  const mode: Mode = bodySha256Param(url) !== null ? 'json' : isForm(request) ? 'form' : 'url'
  const what = { form: 'URL + sorted form parameters', json: 'URL with bodySHA256 (body checked by hash)', url: 'URL only' }[mode]
  return {
    signatures: [raw.trim()],
    algorithm: 'sha1',
    fields: { mode },
    deliveryId: header(request, 'I-Twilio-Idempotency-Token'),
    steps: [{ label: 'Signed URL', ok: true, detail: `${url} (${options.webhookUrl ? 'key option webhookUrl' : 'the request URL'}); ${what}` }]
  }
}

/**
 * Twilio: `X-Twilio-Signature: <base64>`, HMAC-SHA1 with the account's auth token as typed.
 * Form POSTs: over URL + sorted params. JSON POSTs: over the URL (which carries bodySHA256), and
 * the body's SHA-256 hex must equal that parameter. coversUrl: URL variants are diagnosed.
 */
export const twilioSpec: HmacSpec = {
  id: 'twilio',
  label: 'Twilio',
  detect: (request) => (hasHeader(request, HEADER) ? 1 : 0),
  parse: parseTwilio,
  content: twilioContent,
  encoding: 'base64',
  secretDecoding: 'utf8',
  coversUrl: true,
  checkKey: (key) => optionIssue(optionsSchema.safeParse(key.options)),
  signedContentLabel: 'URL + sorted POST parameters'
}

const core = createHmacScheme(twilioSpec)

/** The URL with its default port written out, or without an explicit port (twilio-node addPort/removePort). */
function togglePort(url: string): string | null {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(:\d+)?(.*)$/i.exec(url)
  if (!match) return null
  const [, scheme, userInfo = '', host, port, rest] = match
  if (port) return `${scheme}${userInfo}${host}${rest}`
  const lower = scheme!.toLowerCase()
  if (lower !== 'https://' && lower !== 'http://') return null
  return `${scheme}${userInfo}${host}${lower === 'https://' ? ':443' : ':80'}${rest}`
}

async function verifyTwilio(request: VerifyRequest, key: KeyEntry, context: SchemeContext): Promise<SchemeOutcome> {
  let outcome = await run(core, request, key, context)
  if (outcome.code === 'SIG_MISMATCH') {
    // Twilio's SDKs accept the URL with and without the port: the signer may have dropped or added it.
    const toggled = togglePort(signedUrl(request, key.options))
    if (toggled) {
      const retry = await run(core, request, withOptions(key, { webhookUrl: toggled }), context)
      if (retry.ok) {
        outcome = {
          ...retry,
          steps: [...retry.steps, { label: 'Port', ok: true, detail: `signed as ${toggled}; Twilio's SDKs accept the URL with or without the port` }]
        }
      }
    }
  }
  if (!outcome.ok) return outcome
  const expectedHash = bodySha256Param(signedUrl(request, key.options))
  if (expectedHash === null) return outcome
  return checkBodyHash(request, expectedHash, outcome, context)
}

function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex')
}

function checkBodyHash(request: VerifyRequest, expectedHash: string, outcome: SchemeOutcome, context: SchemeContext): SchemeOutcome {
  const actual = sha256Hex(request.body)
  if (signaturesEqual(actual, expectedHash)) {
    return { ...outcome, steps: [...outcome.steps, { label: 'bodySHA256', ok: true, detail: 'the body matches the SHA-256 in the signed URL' }] }
  }
  const findings: Finding[] = []
  const search = nearMissSearch(request, context)
  for (const variant of search.bodyVariants(request.body.length)) {
    if (signaturesEqual(sha256Hex(variant.body), expectedHash)) {
      findings.push({
        code: 'BODY_CHANGED',
        message: `The bodySHA256 in the signed URL matches the body ${variant.label}: the body changed between signing and delivery.`
      })
      break
    }
  }
  if (findings.length === 0 && expectedHash.toLowerCase() === actual) {
    findings.push({ code: 'SIGNATURE_ENCODING', message: 'bodySHA256 is the right hash in upper-case hex; Twilio sends lower-case hex.' })
  }
  findings.push(...search.findings())
  const lead = findings.find(isNearMiss)
  const skipped = search.skippedClause()
  return {
    ...outcome,
    ok: false,
    code: 'SIG_MISMATCH',
    summary: lead
      ? `The URL signature is right, but the body does not match its bodySHA256. ${lead.message}`
      : `The URL signature is right, but the body does not match the bodySHA256 in the signed URL: the body was changed${skipped ? `; ${skipped}` : ''}.`,
    steps: [...outcome.steps, { label: 'bodySHA256', ok: false, detail: 'the SHA-256 of the body differs from the bodySHA256 query parameter' }],
    findings
  }
}

export const twilio: Scheme & { spec: HmacSpec } = { ...core, verify: verifyTwilio }
