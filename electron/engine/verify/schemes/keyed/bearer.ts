import { z } from 'zod'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { isNearMiss } from '../../../../../shared/model/verdict'
import { nearMissSearch } from '../../diagnostics/near-miss-search'
import { optionsReader } from '../../options-reader'
import { timingSafeEqualBytes } from '../../primitives/timing-safe-equal'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome } from '../../scheme'
import { header, type VerifyRequest } from '../../verify-request'
import { describeAuthorization, maskCredential, otherCredentialFindings } from './credential-common'
import {
  ASYMMETRIC_JWS_ALGORITHMS,
  checkJws,
  checkJwsKeyMaterial,
  describeHeader,
  displayPayload,
  hasJwsKeyMaterial,
  otherJwsKeyFindings,
  parseCompactJws
} from './jose-common'

/**
 * A bearer token: `Authorization: Bearer <token>` (or a named header carrying the bare token).
 * With a `secret`, the token is a fixed shared value compared in constant time; with a public
 * key / JWKS / root certificate, it is a JWT verified with jose and its claims (exp, nbf,
 * optional iss/aud/max age) judged at the delivery's arrival.
 */
const ID = 'bearer'

export const options = optionsReader(
  z.object({
    header: z.string().min(1).max(128).default('Authorization'),
    issuer: z.string().min(1).max(512).optional(),
    audience: z.string().min(1).max(512).optional(),
    algorithms: z
      .array(z.enum(ASYMMETRIC_JWS_ALGORITHMS as [string, ...string[]]))
      .min(1)
      .optional(),
    clockToleranceSeconds: z.number().int().min(0).max(86_400).default(0),
    maxAgeSeconds: z.number().int().min(1).max(31_536_000).optional()
  })
)
type Options = ReturnType<typeof options.read>

function tokenOf(request: VerifyRequest, o: Options): { token: string } | { missing: string } {
  const value = header(request, o.header)
  if (value === undefined) return { missing: `there is no ${o.header} header` }
  if (o.header.toLowerCase() !== 'authorization') return value.trim() ? { token: value.trim() } : { missing: `${o.header} is empty` }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value)
  if (!match) return { missing: `Authorization carries ${value.trim() ? describeAuthorization(value) : 'nothing'}, not a Bearer token` }
  return { token: match[1]! }
}

async function verifyBearer(request: VerifyRequest, key: KeyEntry, context: SchemeContext): Promise<SchemeOutcome> {
  const o = options.read(key.options)
  const found = tokenOf(request, o)
  const secret = key.material.secret
  const expectedLabel = secret ? maskCredential(secret) : `a JWT signed by key "${key.name}"`
  const credential = (received: string | null) => ({
    kind: secret ? 'bearer' : 'bearer-jwt',
    expected: expectedLabel,
    received: received === null ? null : maskCredential(received)
  })
  if ('missing' in found)
    return failed('CREDENTIAL_MISSING', `No bearer token: ${found.missing}.`, [{ label: o.header, ok: false, detail: 'no token' }], {
      credential: credential(null)
    })
  const token = found.token
  const jws = parseCompactJws(token)

  if (hasJwsKeyMaterial(key) && jws) {
    const result = await checkJws({
      entry: key,
      jws,
      now: context.now,
      algorithms: o.algorithms ?? ASYMMETRIC_JWS_ALGORITHMS,
      claims: { clockToleranceSeconds: o.clockToleranceSeconds, issuer: o.issuer, audience: o.audience, maxAgeSeconds: o.maxAgeSeconds },
      noun: 'bearer JWT'
    })
    const jwtCredential = { kind: 'bearer-jwt', expected: `a JWT signed by key "${key.name}"`, received: maskCredential(token) }
    if (result.ok) {
      return {
        ok: true,
        code: null,
        summary: `Bearer JWT verifies with key "${key.name}" (${describeHeader(result.protectedHeader)}).`,
        steps: result.steps,
        findings: [],
        credential: jwtCredential,
        token: { protectedHeader: result.protectedHeader, payload: displayPayload(result.payload) }
      }
    }
    const search = nearMissSearch(request, context)
    const findings =
      result.code === 'TOKEN_INVALID' || result.code === 'UNKNOWN_KEY_ID' ? await otherJwsKeyFindings(jws, undefined, key, context, [ID], search) : []
    findings.push(...search.findings())
    const lead = findings.find(isNearMiss)
    return failed(result.code, lead ? `${result.summary} ${lead.message}` : result.summary, result.steps, {
      findings,
      credential: jwtCredential,
      token: { protectedHeader: result.protectedHeader }
    })
  }
  if (!secret) {
    return failed(
      'CREDENTIAL_MISMATCH',
      `The bearer token is not a JWT, and key "${key.name}" only verifies JWTs (it has no fixed token).`,
      [{ label: 'Bearer token', ok: false, detail: 'not a JWT' }],
      {
        credential: credential(token)
      }
    )
  }
  const matched = timingSafeEqualBytes(token, secret)
  const steps = [{ label: 'Bearer token', ok: matched, detail: matched ? 'matches' : 'does not match' }]
  if (matched) return { ok: true, code: null, summary: `Bearer token matches key "${key.name}".`, steps, findings: [], credential: credential(token) }
  const findings = otherCredentialFindings(token, key, context, [ID])
  return failed('CREDENTIAL_MISMATCH', `The bearer token does not match key "${key.name}".${findings[0] ? ` ${findings[0].message}` : ''}`, steps, {
    findings,
    credential: credential(token)
  })
}

export const bearer: Scheme = {
  id: ID,
  label: 'Bearer token',
  needs: ['secret', 'publicKey', 'jwks', 'certificate'],
  detect: (request, raw = {}) => ('token' in tokenOf(request, options.read(raw)) ? 0.55 : 0),
  verify: verifyBearer,
  checkKey: (key) => {
    const problem = options.check(key.options)
    if (problem) return problem
    if (key.material.secret) return hasJwsKeyMaterial(key) ? checkJwsKeyMaterial(key) : null
    return hasJwsKeyMaterial(key) ? checkJwsKeyMaterial(key) : 'a bearer entry needs a fixed token (secret), or a public key / JWKS to verify JWTs'
  }
}
