import { z } from 'zod'
import { formatSize } from '../../../../../shared/lib/byte-size'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { type Finding, isNearMiss } from '../../../../../shared/model/verdict'
import { detectableJson, mayInspectBody } from '../../detectable-body'
import { type NearMissSearch, nearMissSearch } from '../../diagnostics/near-miss-search'
import { jsonBody, MAX_VERIFY_BODY_BYTES } from '../../json-body'
import { optionsReader } from '../../options-reader'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome } from '../../scheme'
import { header, type VerifyRequest } from '../../verify-request'
import {
  APPLE_APP_STORE_POLICY,
  ASYMMETRIC_JWS_ALGORITHMS,
  type ChainPolicy,
  type CompactJws,
  checkJws,
  checkJwsKeyMaterial,
  describeHeader,
  displayPayload,
  jwsSignatureVerifies,
  jwsTrialBytes,
  mayBeCompactJose,
  otherJwsKeyFindings,
  parseCompactJws,
  resolveJwsKeys,
  stripBearer
} from './jose-common'

/**
 * A compact JWS signed by the sender, found in a header (`header` option; "Bearer " is stripped),
 * in a JSON field of the body (`field`, a dotted path, e.g. Apple's `signedPayload`), or as the
 * whole body; with neither option, the body or its first top-level field holding a JWS. A JWS
 * with an empty payload part in a header is detached: the body is the payload (RFC 7515
 * appendix F; `b64: false` per RFC 7797 is honoured). Keys: PEM/JWK public key, a JWKS (by kid),
 * or a trusted root `certificate` for tokens carrying an `x5c` chain.
 */
const ID = 'jws'

const schema = z
  .object({
    header: z.string().min(1).max(128).optional(),
    field: z.string().min(1).max(256).optional(),
    algorithms: z
      .array(z.enum(ASYMMETRIC_JWS_ALGORITHMS as [string, ...string[]]))
      .min(1)
      .optional(),
    clockToleranceSeconds: z.number().int().min(0).max(86_400).default(0),
    issuer: z.string().min(1).max(512).optional(),
    audience: z.string().min(1).max(512).optional(),
    maxAgeSeconds: z.number().int().min(1).max(31_536_000).optional(),
    /** Presets of x5c extension requirements: "apple-app-store" (App Store Server Notifications, StoreKit). */
    profile: z.enum(['apple-app-store']).optional(),
    /** Extension OIDs the x5c leaf / intermediate must carry (dotted). */
    leafOids: z
      .array(z.string().regex(/^\d+(\.\d+)+$/))
      .max(8)
      .optional(),
    intermediateOids: z
      .array(z.string().regex(/^\d+(\.\d+)+$/))
      .max(8)
      .optional()
  })
  .refine((o) => !(o.header && o.field), { message: 'set header or field, not both' })
type Options = z.infer<typeof schema>
export const options = optionsReader(schema)

function chainPolicy(o: Options): ChainPolicy {
  const preset = o.profile === 'apple-app-store' ? APPLE_APP_STORE_POLICY : {}
  return {
    leafOids: [...(preset.leafOids ?? []), ...(o.leafOids ?? [])],
    intermediateOids: [...(preset.intermediateOids ?? []), ...(o.intermediateOids ?? [])]
  }
}

function atPath(value: unknown, path: string): unknown {
  let current = value
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

type Located =
  | { ok: true; source: string; jws: CompactJws; detached: boolean }
  | { ok: false; code: 'SIG_HEADER_MISSING' | 'PAYLOAD_MALFORMED' | 'TOKEN_INVALID'; summary: string }

/**
 * Where the JWS is. `detect`: the body is read only as detection may (detectable-body.ts: by its
 * Content-Type and size); `verify`: a key of this scheme applies, so the body is read whatever it is.
 */
function locate(request: VerifyRequest, o: Options, purpose: 'detect' | 'verify'): Located {
  const json = () => (purpose === 'detect' ? detectableJson(request) : jsonBody(request.body))
  if (o.header) {
    const value = header(request, o.header)
    if (value === undefined) return { ok: false, code: 'SIG_HEADER_MISSING', summary: `Missing header: ${o.header}.` }
    const jws = parseCompactJws(stripBearer(value))
    if (!jws) return { ok: false, code: 'TOKEN_INVALID', summary: `${o.header} does not hold a compact JWS.` }
    return { ok: true, source: `header ${o.header}`, jws, detached: jws.payload.length === 0 }
  }
  const tooLarge = purpose === 'verify' && request.body.length > MAX_VERIFY_BODY_BYTES
  if (o.field) {
    if (tooLarge) return { ok: false, code: 'PAYLOAD_MALFORMED', summary: `${bodyTooLarge(request)}: its field "${o.field}" was not read.` }
    const value = atPath(json(), o.field)
    if (typeof value !== 'string') return { ok: false, code: 'PAYLOAD_MALFORMED', summary: `The body has no string field "${o.field}".` }
    const jws = parseCompactJws(value)
    if (!jws) return { ok: false, code: 'TOKEN_INVALID', summary: `The body field "${o.field}" does not hold a compact JWS.` }
    return { ok: true, source: `body field ${o.field}`, jws, detached: false }
  }
  // A key of the scheme applies: the body is read whatever its type, up to the size verification reads.
  if (tooLarge)
    return { ok: false, code: 'SIG_HEADER_MISSING', summary: `${bodyTooLarge(request)} for a compact JWS (set the key option header if it travels in one).` }
  const joseBody = purpose === 'verify' || mayInspectBody(request, 'jose')
  const whole = joseBody && mayBeCompactJose(request.body) ? parseCompactJws(request.body.toString('utf8')) : null
  if (whole && whole.payload.length > 0) return { ok: true, source: 'body', jws: whole, detached: false }
  const object = json()
  if (typeof object === 'object' && object !== null && !Array.isArray(object)) {
    for (const [name, value] of Object.entries(object)) {
      const jws = typeof value === 'string' ? parseCompactJws(value) : null
      if (jws && jws.payload.length > 0) return { ok: true, source: `body field ${name}`, jws, detached: false }
    }
  }
  return { ok: false, code: 'SIG_HEADER_MISSING', summary: 'No compact JWS in the body (set the key option header or field to say where it is).' }
}

async function verifyJws(request: VerifyRequest, key: KeyEntry, context: SchemeContext): Promise<SchemeOutcome> {
  const o = options.read(key.options)
  const located = locate(request, o, 'verify')
  if (!located.ok) return failed(located.code, located.summary)
  const { jws, detached } = located
  const payload = detached ? request.body : undefined
  const result = await checkJws({
    entry: key,
    jws,
    payload,
    now: context.now,
    algorithms: o.algorithms ?? ASYMMETRIC_JWS_ALGORITHMS,
    claims: { clockToleranceSeconds: o.clockToleranceSeconds, issuer: o.issuer, audience: o.audience, maxAgeSeconds: o.maxAgeSeconds },
    noun: detached ? 'detached JWS' : 'JWS',
    chainPolicy: chainPolicy(o)
  })
  const steps = [{ label: 'Location', ok: true, detail: `${located.source}${detached ? ' (detached: the body is the payload)' : ''}` }, ...result.steps]
  if (result.ok) {
    return {
      ok: true,
      code: null,
      summary: `${detached ? 'Detached JWS' : 'JWS'} verifies with key "${key.name}" (${describeHeader(result.protectedHeader)}).`,
      steps,
      findings: [],
      token: { protectedHeader: result.protectedHeader, ...(detached ? {} : { payload: displayPayload(result.payload) }) }
    }
  }
  const findings: Finding[] = []
  const search = nearMissSearch(request, context)
  if (result.code === 'TOKEN_INVALID' || result.code === 'UNKNOWN_KEY_ID' || result.code === 'CERT_UNTRUSTED') {
    if (detached && result.code === 'TOKEN_INVALID') findings.push(...(await bodyChanged(jws, key, request, context, search)))
    findings.push(...(await otherJwsKeyFindings(jws, payload, key, context, [ID], search, (other) => chainPolicy(options.read(other.options)))))
  }
  findings.push(...search.findings())
  const lead = findings.find(isNearMiss)
  const skipped = search.skippedClause()
  return failed(
    result.code,
    lead ? `${result.summary} ${lead.message}` : skipped ? `${result.summary.replace(/\.$/, '')}; ${skipped}.` : result.summary,
    steps,
    {
      findings,
      token: { protectedHeader: result.protectedHeader }
    }
  )
}

function bodyTooLarge(request: VerifyRequest): string {
  return `The body (${formatSize(request.body.length)}) is over the ${formatSize(MAX_VERIFY_BODY_BYTES)} Hookscope reads`
}

async function bodyChanged(jws: CompactJws, key: KeyEntry, request: VerifyRequest, context: SchemeContext, search: NearMissSearch): Promise<Finding[]> {
  const resolution = resolveJwsKeys(key, jws.protectedHeader, context.now, chainPolicy(options.read(key.options)))
  if (!resolution.ok) return []
  for (const variant of search.bodyVariants(jwsTrialBytes(jws, request.body) * resolution.candidates.length)) {
    for (const candidate of resolution.candidates) {
      if (await jwsSignatureVerifies(jws, candidate.key, variant.body)) {
        return [{ code: 'BODY_CHANGED', message: `The signature verifies for the body ${variant.label}: the body changed between signing and delivery.` }]
      }
    }
  }
  return []
}

export const jwsScheme: Scheme = {
  id: ID,
  label: 'JWS (signed token)',
  needs: ['publicKey', 'jwks', 'certificate'],
  detect: (request, raw = {}) => {
    const o = options.read(raw)
    if (o.header) {
      const value = header(request, o.header)
      if (value === undefined) return 0
      return parseCompactJws(stripBearer(value)) ? 0.9 : 0.2
    }
    if (o.field) {
      const value = atPath(detectableJson(request), o.field)
      return typeof value === 'string' && parseCompactJws(value) ? 0.9 : 0
    }
    const located = locate(request, o, 'detect')
    return located.ok ? (located.source === 'body' ? 0.8 : 0.7) : 0
  },
  verify: verifyJws,
  checkKey: (key) => options.check(key.options) ?? checkJwsKeyMaterial(key)
}
