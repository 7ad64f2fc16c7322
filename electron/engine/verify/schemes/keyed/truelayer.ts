import { z } from 'zod'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { type Finding, isNearMiss, type VerdictStep } from '../../../../../shared/model/verdict'
import { type NearMissSearch, nearMissSearch } from '../../diagnostics/near-miss-search'
import { previewSignedContent } from '../../hmac/signed-content-preview'
import { optionsReader } from '../../options-reader'
import { checkTimestamp } from '../../primitives/timestamp-window'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome } from '../../scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import {
  ASYMMETRIC_JWS_ALGORITHMS,
  type CompactJws,
  checkJws,
  checkJwsKeyMaterial,
  describeHeader,
  jwsSignatureVerifies,
  jwsTrialBytes,
  otherJwsKeyFindings,
  parseCompactJws,
  resolveJwsKeys
} from './jose-common'

/**
 * TrueLayer request signing v2 (truelayer-signing, request-signing-v2.md): Tl-Signature is a
 * detached JWS (`header..signature`, ES512) whose protected header carries `tl_version: "2"` and
 * `tl_headers`, the ordered, comma-separated names of the signed headers. The signed payload is
 * `METHOD path\n` + `Name: value\n` for each listed header (names as listed, values looked up
 * case-insensitively, "" when absent) + the body. As in the official verifiers, the path is also
 * tried with its trailing slash toggled. Keys: TrueLayer's JWKS (by kid) or a PEM public key.
 */
const ID = 'truelayer'
const SIGNATURE = 'Tl-Signature'
const WEBHOOK_TIMESTAMP = 'X-Tl-Webhook-Timestamp'

const schema = z.object({
  algorithms: z
    .array(z.enum(ASYMMETRIC_JWS_ALGORITHMS as [string, ...string[]]))
    .min(1)
    .default(['ES512']),
  /** Header names that must be among tl_headers (e.g. ["X-Tl-Webhook-Timestamp"]). */
  requiredHeaders: z.array(z.string().min(1).max(128)).max(32).default([]),
  /** Window for X-Tl-Webhook-Timestamp (RFC 3339); none unless set. */
  toleranceSeconds: z.number().int().min(1).max(31_536_000).optional()
})
type Options = z.infer<typeof schema>
export const options = optionsReader(schema)

export function signedHeaderNames(jws: CompactJws): string[] {
  const value = jws.protectedHeader.tl_headers
  return typeof value === 'string' ? value.split(',').filter((name) => name.length > 0) : []
}

export function truelayerPayload(method: string, path: string, names: readonly string[], request: VerifyRequest, body: Buffer): Buffer {
  let head = `${method.toUpperCase()} ${path}\n`
  for (const name of names) head += `${name}: ${header(request, name) ?? ''}\n`
  // Method, path and header values are byte strings as received: signed as the bytes that were sent.
  return Buffer.concat([Buffer.from(head, 'latin1'), body])
}

/** The path forms to try, first the one as received (path only, then with its query). */
function pathForms(url: string): { path: string; note?: string }[] {
  let pathname = '/'
  let search = ''
  try {
    const parsed = new URL(url)
    pathname = parsed.pathname
    search = parsed.search
  } catch {
    pathname = url
  }
  const toggled = pathname.endsWith('/') && pathname.length > 1 ? pathname.slice(0, -1) : `${pathname}/`
  const forms: { path: string; note?: string }[] = [
    { path: pathname },
    { path: toggled, note: `path matched as ${toggled} (trailing slash toggled, as the official verifiers allow)` }
  ]
  if (search) forms.push({ path: pathname + search, note: 'path matched with its query string' })
  return forms
}

async function verifyTruelayer(request: VerifyRequest, key: KeyEntry, context: SchemeContext): Promise<SchemeOutcome> {
  const o: Options = options.read(key.options)
  const value = header(request, SIGNATURE)
  if (value === undefined) return failed('SIG_HEADER_MISSING', `Missing header: ${SIGNATURE}.`)
  const jws = parseCompactJws(value)
  if (!jws) return failed('SIG_HEADER_MALFORMED', `${SIGNATURE} is not a JWS (expected "header..signature").`)
  const steps: VerdictStep[] = []
  if (jws.payload.length > 0)
    return failed('SIG_HEADER_MALFORMED', `${SIGNATURE} must be a detached JWS (an empty payload part), but it carries a payload.`, steps, {
      token: { protectedHeader: jws.protectedHeader }
    })
  if (jws.protectedHeader.tl_version !== '2') {
    return failed(
      'TOKEN_INVALID',
      `${SIGNATURE} has tl_version ${JSON.stringify(jws.protectedHeader.tl_version)?.slice(0, 20) ?? 'missing'}; only version "2" is supported (${describeHeader(jws.protectedHeader)}).`,
      steps,
      {
        token: { protectedHeader: jws.protectedHeader }
      }
    )
  }
  const names = signedHeaderNames(jws)
  const missingRequired = o.requiredHeaders.filter((required) => !names.some((name) => name.toLowerCase() === required.toLowerCase()))
  if (missingRequired.length > 0) {
    return failed('TOKEN_INVALID', `${SIGNATURE} does not sign ${missingRequired.join(', ')}, which key "${key.name}" requires.`, steps, {
      token: { protectedHeader: jws.protectedHeader }
    })
  }
  const absent = names.filter((name) => !hasHeader(request, name))
  steps.push({
    label: 'Signed headers',
    ok: absent.length === 0,
    detail: names.length === 0 ? 'none' : `${names.join(', ')}${absent.length > 0 ? ` (absent from the request, signed as empty: ${absent.join(', ')})` : ''}`
  })

  const forms = pathForms(request.url)
  const first = truelayerPayload(request.method, forms[0]!.path, names, request, request.body)
  const base = { signedContent: previewSignedContent(first), received: [value] }
  const common = { entry: key, jws, now: context.now, algorithms: o.algorithms, claims: null, noun: SIGNATURE }
  let result = await checkJws({ ...common, payload: first })
  if (!result.ok && result.code === 'TOKEN_INVALID') {
    for (const form of forms.slice(1)) {
      const again = await checkJws({ ...common, payload: truelayerPayload(request.method, form.path, names, request, request.body) })
      if (again.ok) {
        result = { ...again, steps: [...again.steps, { label: 'Path', ok: true, detail: form.note! }] }
        break
      }
    }
  }
  steps.push(...result.steps)
  const token = { protectedHeader: result.protectedHeader }
  if (!result.ok) {
    const findings: Finding[] = []
    const search = nearMissSearch(request, context)
    if (result.code === 'TOKEN_INVALID' || result.code === 'UNKNOWN_KEY_ID') {
      findings.push(...(await bodyChanged(jws, key, request, names, forms[0]!.path, context, search)))
      findings.push(...(await otherJwsKeyFindings(jws, first, key, context, [ID], search)))
    }
    findings.push(...search.findings())
    const lead = findings.find(isNearMiss)
    const skipped = search.skippedClause()
    const summary = lead ? `${result.summary} ${lead.message}` : skipped ? `${result.summary.replace(/\.$/, '')}; ${skipped}.` : result.summary
    return failed(result.code, summary, steps, { ...base, findings, token })
  }

  let timestamp: SchemeOutcome['timestamp']
  const sent = header(request, WEBHOOK_TIMESTAMP)
  if (o.toleranceSeconds && sent !== undefined) {
    const millis = Date.parse(sent)
    if (Number.isFinite(millis)) {
      const check = checkTimestamp(Math.floor(millis / 1000), context.now, { toleranceSeconds: o.toleranceSeconds, direction: 'both' })
      timestamp = { value: Math.floor(millis / 1000), skewSeconds: check.skewSeconds, toleranceSeconds: o.toleranceSeconds, direction: 'both' }
      steps.push({ label: 'Timestamp', ok: check.ok, detail: check.detail })
      if (!check.ok && check.code) {
        return failed(
          check.code,
          `The signature is right, but ${WEBHOOK_TIMESTAMP} is ${check.code === 'TIMESTAMP_STALE' ? 'too old' : 'in the future'}: ${check.detail}.`,
          steps,
          { ...base, token, timestamp }
        )
      }
    }
  }
  return {
    ok: true,
    code: null,
    summary: `${SIGNATURE} verifies with key "${key.name}" (${describeHeader(result.protectedHeader)}).`,
    steps,
    findings: [],
    ...base,
    token,
    timestamp
  }
}

async function bodyChanged(
  jws: CompactJws,
  key: KeyEntry,
  request: VerifyRequest,
  names: string[],
  path: string,
  context: SchemeContext,
  search: NearMissSearch
): Promise<Finding[]> {
  const resolution = resolveJwsKeys(key, jws.protectedHeader, context.now)
  if (!resolution.ok) return []
  for (const variant of search.bodyVariants(jwsTrialBytes(jws, request.body) * resolution.candidates.length)) {
    const payload = truelayerPayload(request.method, path, names, request, variant.body)
    for (const candidate of resolution.candidates) {
      if (await jwsSignatureVerifies(jws, candidate.key, payload)) {
        return [{ code: 'BODY_CHANGED', message: `The signature verifies for the body ${variant.label}: the body changed between signing and delivery.` }]
      }
    }
  }
  return []
}

export const truelayer: Scheme = {
  id: ID,
  label: 'TrueLayer (Tl-Signature)',
  needs: ['jwks', 'publicKey'],
  detect: (request) => (hasHeader(request, SIGNATURE) ? 1 : 0),
  verify: verifyTruelayer,
  checkKey: (key) => options.check(key.options) ?? checkJwsKeyMaterial(key)
}
