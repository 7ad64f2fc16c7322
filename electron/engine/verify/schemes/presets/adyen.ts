import { z } from 'zod'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { mayInspectBody } from '../../detectable-body'
import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { MAX_VERIFY_BODY_BYTES } from '../../json-body'
import { decodeSecret } from '../../primitives/secret-decoding'
import type { Scheme, SchemeContext, SchemeOutcome } from '../../scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { isRecord, jsonBody, optionIssue, parseFailure, run, withOptions } from './preset-helpers'

const HEADER = 'HmacSignature'

const optionsSchema = z.object({
  /**
   * 'notification': classic payment webhooks, signature in additionalData.hmacSignature over 8
   * fields. 'header': the HmacSignature header over the raw body (Balance Platform, Management
   * webhooks). Unset: 'header' when that header is present, else 'notification'.
   */
  mode: z.enum(['notification', 'header']).optional()
})

type Mode = 'notification' | 'header'

function modeOf(request: VerifyRequest, options: Record<string, unknown>): Mode {
  if (options.mode === 'notification' || options.mode === 'header') return options.mode
  return hasHeader(request, HEADER) ? 'header' : 'notification'
}

/**
 * The NotificationRequestItem objects of a classic notification body, or null when it is not one.
 * Bodies too large to parse are refused before the scan for the word that spares others a parse.
 */
export function notificationItems(body: Buffer): Record<string, unknown>[] | null {
  if (body.length > MAX_VERIFY_BODY_BYTES || !body.includes('notificationItems')) return null
  const json = jsonBody(body)
  if (!isRecord(json) || !Array.isArray(json.notificationItems)) return null
  return json.notificationItems.map((entry) => (isRecord(entry) && isRecord(entry.NotificationRequestItem) ? entry.NotificationRequestItem : {}))
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value))

/**
 * The 8 colon-joined fields Adyen signs (HmacValidator.getDataToSign): pspReference,
 * originalReference, merchantAccountCode, merchantReference, amount.value, amount.currency,
 * eventCode, success. Absent fields are empty strings.
 */
export function adyenSignedFields(item: Record<string, unknown>): string {
  const amount = isRecord(item.amount) ? item.amount : {}
  return [
    item.pspReference,
    item.originalReference,
    item.merchantAccountCode,
    item.merchantReference,
    amount.value,
    amount.currency,
    item.eventCode,
    item.success
  ]
    .map(text)
    .join(':')
}

function parseAdyen(request: VerifyRequest, options: Record<string, unknown>): HmacParse {
  if (modeOf(request, options) === 'header') {
    const raw = header(request, HEADER)
    if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER} (key option mode is "header").`)
    if (raw.trim() === '') return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} is empty.`)
    return {
      signatures: [raw.trim()],
      algorithm: 'sha256',
      fields: { mode: 'header' },
      steps: [{ label: 'Mode', ok: true, detail: `${HEADER} header over the raw body` }]
    }
  }
  const items = notificationItems(request.body)
  if (!items) return parseFailure('PAYLOAD_MALFORMED', 'The body is not an Adyen notification (JSON with notificationItems).')
  if (items.length === 0) return parseFailure('PAYLOAD_MALFORMED', 'The notification has no NotificationRequestItem.')
  const index = typeof options.itemIndex === 'number' && Number.isInteger(options.itemIndex) ? options.itemIndex : 0
  const item = items[index]
  if (!item) return parseFailure('PAYLOAD_MALFORMED', `The notification has no item ${index + 1}.`)
  const additional = isRecord(item.additionalData) ? item.additionalData : {}
  const signature = additional.hmacSignature
  if (signature === undefined)
    return parseFailure('SIG_HEADER_MISSING', 'The NotificationRequestItem has no additionalData.hmacSignature (is HMAC enabled for this webhook?).')
  if (typeof signature !== 'string' || signature.trim() === '')
    return parseFailure('SIG_HEADER_MALFORMED', 'additionalData.hmacSignature is not a base64 string.')
  return {
    signatures: [signature.trim()],
    algorithm: 'sha256',
    fields: { mode: 'notification', signed: adyenSignedFields(item) },
    deliveryId: [item.pspReference, item.eventCode, item.success].map(text).join(':'),
    steps: [
      { label: 'Mode', ok: true, detail: `notification item ${index + 1} of ${items.length}` },
      { label: 'Coverage', ok: true, detail: 'fields only: the 8 signed fields; the rest of the notification is not covered' }
    ]
  }
}

/**
 * Adyen, with the HMAC key hex-decoded (32 bytes), base64 HMAC-SHA256. Two modes (key option
 * `mode`, auto by default): classic notifications, where each NotificationRequestItem carries its
 * own additionalData.hmacSignature over the 8 fields; and the `HmacSignature` header over the raw
 * body. No timestamp.
 */
export const adyenSpec: HmacSpec = {
  id: 'adyen',
  label: 'Adyen',
  detect: (request) => {
    if (hasHeader(request, HEADER)) return /^hmacsha256$/i.test(header(request, 'Protocol') ?? '') ? 1 : 0.9
    return mayInspectBody(request, 'json') && notificationItems(request.body) ? 0.8 : 0
  },
  parse: parseAdyen,
  content: (request, parsed) => (parsed.fields?.mode === 'header' ? request.body : Buffer.from(parsed.fields?.signed ?? '', 'utf8')),
  encoding: 'base64',
  secretDecoding: 'hex',
  checkKey: (key) => {
    const issue = optionIssue(optionsSchema.safeParse(key.options))
    if (issue) return issue
    return decodeSecret(key.material.secret ?? '', 'hex') ? null : 'Adyen HMAC keys are hex (64 characters, as the Customer Area shows them)'
  },
  signedContentLabel: '8 notification fields (or the body, in header mode)'
}

const core = createHmacScheme(adyenSpec)

/** Every item of a batched notification must verify; the first failing one is the story. */
async function verifyAdyen(request: VerifyRequest, key: KeyEntry, context: SchemeContext): Promise<SchemeOutcome> {
  const items = modeOf(request, key.options) === 'notification' ? notificationItems(request.body) : null
  if (!items || items.length <= 1) return run(core, request, key, context)
  let first: SchemeOutcome | undefined
  for (let index = 0; index < items.length; index++) {
    const outcome = await run(core, request, withOptions(key, { itemIndex: index }), context)
    if (!outcome.ok) return { ...outcome, summary: `Item ${index + 1} of ${items.length}: ${outcome.summary}` }
    first ??= outcome
  }
  return { ...first!, steps: [...first!.steps, { label: 'Items', ok: true, detail: `all ${items.length} items verified` }] }
}

export const adyen: Scheme & { spec: HmacSpec } = { ...core, verify: verifyAdyen }
