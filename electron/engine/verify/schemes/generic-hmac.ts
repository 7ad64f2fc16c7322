import { z } from 'zod'
import { textAsByteString } from '../../../../shared/lib/header-text'
import { createHmacScheme, type HmacParse, type HmacSpec } from '../hmac/hmac-scheme'
import { parseUnixSeconds } from '../primitives/timestamp-window'
import { header, headerValues, pathOf, type VerifyRequest } from '../verify-request'

/**
 * A fully configurable HMAC scheme for senders with no preset. Every choice is a key option:
 * header, algorithm, encoding, prefix, what is signed (a template over {id}, {timestamp}, {body},
 * {method}, {url}, {path}), how the secret becomes bytes, and optional timestamp/id headers.
 */
export const genericHmacOptionsSchema = z.object({
  header: z.string().min(1).max(128).default('X-Signature'),
  algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
  encoding: z.enum(['hex', 'base64', 'base64url']).default('hex'),
  /** Text before the signature, e.g. "sha256=". */
  prefix: z.string().max(64).default(''),
  /** Splits one header into several signatures (rotation), e.g. " " or ",". */
  separator: z.string().min(1).max(4).optional(),
  template: z.string().min(1).max(1024).default('{body}'),
  secretDecoding: z.enum(['utf8', 'base64', 'hex', 'whsec']).default('utf8'),
  timestampHeader: z.string().min(1).max(128).optional(),
  idHeader: z.string().min(1).max(128).optional(),
  toleranceSeconds: z.number().int().min(1).max(31_536_000).optional()
})

export type GenericHmacOptions = z.infer<typeof genericHmacOptionsSchema>

function options(raw: Record<string, unknown>): GenericHmacOptions {
  const parsed = genericHmacOptionsSchema.safeParse(raw)
  return parsed.success ? parsed.data : genericHmacOptionsSchema.parse({})
}

/** Builds a configurable spec; presets built on it fix some options and keep the rest. */
export function genericHmacSpec(id: string, label: string, fixed: Partial<GenericHmacOptions> = {}): HmacSpec {
  // Detection resolves options for every key on every delivery; keys' option objects are stable.
  const resolved = new WeakMap<object, GenericHmacOptions>()
  const resolve = (raw: Record<string, unknown>) => {
    let value = resolved.get(raw)
    if (!value) {
      value = options({ ...raw, ...fixed })
      resolved.set(raw, value)
    }
    return value
  }
  return {
    id,
    label,
    detect: (request, raw) => (header(request, resolve(raw).header) !== undefined ? 0.9 : 0),
    parse: (request, raw) => parseGeneric(request, resolve(raw)),
    content: (request, parsed, raw) => renderTemplate(resolve(raw).template, request, parsed.deliveryId, parsed.timestampRaw),
    encoding: (raw) => resolve(raw).encoding,
    secretDecoding: (_secret, raw) => resolve(raw).secretDecoding,
    timestamp: (raw) => (resolve(raw).timestampHeader ? { toleranceSeconds: 300, direction: 'both' } : undefined),
    coversUrl: true,
    signedContentLabel: fixed.template ?? 'template',
    checkKey: (key) => {
      const parsed = genericHmacOptionsSchema.safeParse({ ...key.options, ...fixed })
      if (parsed.success) return null
      const issue = parsed.error.issues[0]!
      return `option ${issue.path.join('.')}: ${issue.message}`
    }
  }
}

function parseGeneric(request: VerifyRequest, o: GenericHmacOptions): HmacParse {
  const values = headerValues(request, o.header)
  if (values.length === 0) return { failure: { code: 'SIG_HEADER_MISSING', summary: `Missing header ${o.header}.` } }
  const raw = values
    .flatMap((value) => (o.separator ? value.split(o.separator) : [value]))
    .map((v) => v.trim())
    .filter(Boolean)
  const signatures: string[] = []
  for (const value of raw) {
    if (o.prefix && !value.startsWith(o.prefix)) {
      return {
        failure: {
          code: 'SIG_HEADER_MALFORMED',
          summary: `${o.header} should start with "${o.prefix}"; it starts with "${value.slice(0, Math.min(12, o.prefix.length + 4))}".`
        }
      }
    }
    signatures.push(value.slice(o.prefix.length))
  }
  let timestamp: number | undefined
  let timestampRaw: string | undefined
  if (o.timestampHeader) {
    timestampRaw = header(request, o.timestampHeader)
    if (timestampRaw === undefined) return { failure: { code: 'TIMESTAMP_MISSING', summary: `Missing header ${o.timestampHeader}.` } }
    const parsed = parseUnixSeconds(timestampRaw)
    if (!parsed) return { failure: { code: 'SIG_HEADER_MALFORMED', summary: `${o.timestampHeader} is not a Unix timestamp.` } }
    timestamp = parsed.seconds
  }
  const deliveryId = o.idHeader ? header(request, o.idHeader) : undefined
  return { signatures, algorithm: o.algorithm, timestamp, timestampRaw, deliveryId }
}

/**
 * Renders the signed-content template; the body goes in as raw bytes, never through a string. The
 * template is text (UTF-8), the values it names are byte strings from the request (one char per byte):
 * both become the bytes they stand for.
 */
export function renderTemplate(template: string, request: VerifyRequest, id?: string, timestamp?: string): Buffer {
  const parts = textAsByteString(template).split('{body}')
  const fill = (text: string) =>
    text
      .replace(/\{id\}/g, id ?? '')
      .replace(/\{timestamp\}/g, timestamp ?? '')
      .replace(/\{method\}/g, request.method)
      .replace(/\{url\}/g, request.url)
      .replace(/\{path\}/g, pathOf(request))
  const chunks: Buffer[] = []
  parts.forEach((part, index) => {
    if (index > 0) chunks.push(request.body)
    chunks.push(Buffer.from(fill(part), 'latin1'))
  })
  return Buffer.concat(chunks)
}

export const genericHmac = createHmacScheme(genericHmacSpec('hmac', 'Generic HMAC'))

/**
 * The seed format: HMAC-SHA256 (hex) of the raw JSON body in X-Signature, with X-Timestamp for
 * the freshness window and X-Webhook-Event-Id for duplicate detection.
 */
export const X_SIGNATURE_OPTIONS: Partial<GenericHmacOptions> = {
  header: 'X-Signature',
  algorithm: 'sha256',
  encoding: 'hex',
  template: '{body}',
  timestampHeader: 'X-Timestamp',
  idHeader: 'X-Webhook-Event-Id'
}

export const xSignature = createHmacScheme(genericHmacSpec('x-signature', 'X-Signature (HMAC of the body)', X_SIGNATURE_OPTIONS))
