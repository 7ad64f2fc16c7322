import { isUtf8 } from 'node:buffer'
import type { KeyObject } from 'node:crypto'
import { flattenedVerify } from 'jose'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import type { Finding, VerdictCode, VerdictStep } from '../../../../../shared/model/verdict'
import type { NearMissSearch } from '../../diagnostics/near-miss-search'
import { decodeBinary } from '../../primitives/keys/binary-text'
import { certificatesFromX5c, checkValidAt, commonName, parseCertificates, verifyChain } from '../../primitives/keys/certificates'
import { describeKey, type KeyKind, keyKind } from '../../primitives/keys/key-kind'
import { parsePublicKey, publicKeyFromJwk } from '../../primitives/keys/parse-public-key'
import { extensionOids } from '../../primitives/keys/x509-extensions'
import type { SchemeContext } from '../../scheme'
import { otherKeyFinding } from './signature-core'

/**
 * What the JOSE schemes (jws, truelayer, bearer JWTs) share: reading compact serialisations,
 * finding the verification key in a keyring entry (PEM/JWK, JWKS by kid, an x5c chain to a pinned
 * root, or a pinned certificate), verifying with jose, and judging exp/nbf/iat against the
 * delivery's arrival. Only asymmetric algorithms: an `HS*` or `none` token is refused, so a public
 * key can never be used as an HMAC secret (algorithm confusion).
 */
export type ProtectedHeader = Record<string, unknown>

const PART = /^[A-Za-z0-9_-]*$/

export interface CompactJws {
  header: string
  payload: string
  signature: string
  protectedHeader: ProtectedHeader
}

function decodeJsonPart(part: string): ProtectedHeader | null {
  const bytes = decodeBinary(part, 'base64url')
  if (!bytes || !isUtf8(bytes)) return null
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ProtectedHeader) : null
  } catch {
    return null
  }
}

/** A compact JWS (three parts, canonical base64url, a JSON header with `alg` and no `enc`), or null. */
export function parseCompactJws(text: string): CompactJws | null {
  const parts = text.trim().split('.')
  if (parts.length !== 3 || !parts.every((part) => PART.test(part)) || parts[0]!.length === 0 || parts[2]!.length === 0) return null
  const protectedHeader = decodeJsonPart(parts[0]!)
  if (!protectedHeader || typeof protectedHeader.alg !== 'string' || 'enc' in protectedHeader) return null
  if (!decodeBinary(parts[2]!, 'base64url')) return null
  if (parts[1]!.length > 0 && !decodeBinary(parts[1]!, 'base64url')) return null
  return { header: parts[0]!, payload: parts[1]!, signature: parts[2]!, protectedHeader }
}

/** The protected header of a compact JWE (five parts, `alg` and `enc`), or null. */
export function parseCompactJweHeader(text: string): ProtectedHeader | null {
  const parts = text.trim().split('.')
  if (parts.length !== 5 || !parts.every((part) => PART.test(part))) return null
  const header = decodeJsonPart(parts[0]!)
  return header && typeof header.alg === 'string' && typeof header.enc === 'string' ? header : null
}

const MAX_LEADING_WHITESPACE = 1024

/**
 * Whether a body can be a compact JWS or JWE, from its first bytes only: after at most 1 KiB of whitespace,
 * a base64url-encoded JSON header starts with "e" ("{" encodes as "e"), and what follows is
 * base64url or dots. Detection runs on every delivery: a body that fails this (a binary upload, a
 * JSON document) is never decoded as text, whatever its size.
 */
export function mayBeCompactJose(body: Buffer): boolean {
  let start = 0
  // Whitespace is skipped up to a point: a body of megabytes of it is not a token.
  const whitespaceEnd = Math.min(body.length, MAX_LEADING_WHITESPACE)
  while (start < whitespaceEnd && (body[start] === 0x20 || body[start] === 0x0a || body[start] === 0x0d || body[start] === 0x09)) start++
  if (body[start] !== 0x65) return false
  const end = Math.min(body.length, start + 64)
  for (let i = start; i < end; i++) {
    const c = body[i]!
    const base64url = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f
    if (!base64url && c !== 0x2e && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false
  }
  return true
}

export function stripBearer(value: string): string {
  return value.trim().replace(/^Bearer\s+/i, '')
}

/** `alg "ES256", kid "abc"` for summaries (header values are public; long ones are cut). */
export function describeHeader(header: ProtectedHeader): string {
  const cut = (value: unknown) => (typeof value === 'string' ? (value.length > 64 ? `${value.slice(0, 64)}…` : value) : JSON.stringify(value)?.slice(0, 64))
  return [`alg ${cut(header.alg)}`, header.kid !== undefined ? `kid ${cut(header.kid)}` : null].filter(Boolean).join(', ')
}

const ALG_KINDS: Record<string, readonly KeyKind[]> = {
  EdDSA: ['ed25519', 'ed448'],
  Ed25519: ['ed25519'],
  ES256: ['ec-p256'],
  ES384: ['ec-p384'],
  ES512: ['ec-p521'],
  RS256: ['rsa'],
  RS384: ['rsa'],
  RS512: ['rsa'],
  PS256: ['rsa', 'rsa-pss'],
  PS384: ['rsa', 'rsa-pss'],
  PS512: ['rsa', 'rsa-pss']
}

export const ASYMMETRIC_JWS_ALGORITHMS = Object.keys(ALG_KINDS)

export function algFitsKey(alg: string, key: KeyObject): boolean {
  return ALG_KINDS[alg]?.includes(keyKind(key)) ?? false
}

export interface Candidate {
  key: KeyObject
  label: string
}

export type KeyResolution =
  | { ok: true; candidates: Candidate[]; steps: VerdictStep[] }
  | { ok: false; code: VerdictCode; summary: string; steps: VerdictStep[] }

/** Whether an entry holds anything a JWS could be verified with. */
export function hasJwsKeyMaterial(entry: Pick<KeyEntry, 'material'>): boolean {
  return Boolean(entry.material.publicKey || entry.material.jwks || entry.material.certificate)
}

/** A sentence when the entry's JWS key material does not parse, else null (for checkKey). */
export function checkJwsKeyMaterial(entry: Pick<KeyEntry, 'material'>): string | null {
  const { publicKey, jwks, certificate } = entry.material
  if (!publicKey && !jwks && !certificate) return 'this key needs a public key, a JWKS or a trusted root certificate'
  if (publicKey) {
    const parsed = parsePublicKey(publicKey)
    if (!parsed.ok) return parsed.error
  }
  if (jwks) {
    if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) return 'the JWKS has no keys'
    for (const [index, jwk] of jwks.keys.entries()) {
      const parsed = publicKeyFromJwk(jwk, `JWKS key ${index + 1}`)
      if (!parsed.ok) return parsed.error
    }
  }
  if (certificate) {
    const parsed = parseCertificates(certificate)
    if (!parsed.ok) return parsed.error
  }
  return null
}

/** Extension OIDs an x5c leaf / its issuing intermediate must carry (provider markers). */
export interface ChainPolicy {
  leafOids?: readonly string[]
  intermediateOids?: readonly string[]
}

/** Apple App Store Server Notifications / StoreKit: the markers Apple's own libraries require. */
export const APPLE_APP_STORE_POLICY: ChainPolicy = { leafOids: ['1.2.840.113635.100.6.11.1'], intermediateOids: ['1.2.840.113635.100.6.2.1'] }

/**
 * The keys in `entry` that may verify a JWS with this header, judged at `now` (x5c chains and
 * pinned certificates are checked for validity then). Embedded `jwk` and `jku` are never trusted.
 */
export function resolveJwsKeys(entry: KeyEntry, header: ProtectedHeader, now: number, policy: ChainPolicy = {}): KeyResolution {
  const steps: VerdictStep[] = []
  const kid = typeof header.kid === 'string' ? header.kid : undefined
  if (header.jwk !== undefined || header.jku !== undefined) {
    steps.push({
      label: 'Header keys',
      ok: true,
      detail: `${header.jwk !== undefined ? 'jwk' : 'jku'} in the header is ignored; only keyring keys are trusted`
    })
  }
  const { publicKey, jwks, certificate } = entry.material

  if (header.x5c !== undefined && certificate) {
    const roots = parseCertificates(certificate)
    if (!roots.ok) return { ok: false, code: 'KEY_UNUSABLE', summary: `Key "${entry.name}" cannot be used: ${roots.error}.`, steps }
    const chain = certificatesFromX5c(header.x5c)
    if (!chain.ok) {
      steps.push({ label: 'x5c chain', ok: false, detail: chain.error })
      return { ok: false, code: 'CERT_UNTRUSTED', summary: `The token's certificate chain is unusable: ${chain.error}.`, steps }
    }
    const result = verifyChain(chain.certs, roots.certs, now)
    if (!result.ok) {
      steps.push({ label: 'x5c chain', ok: false, detail: result.reason })
      return { ok: false, code: 'CERT_UNTRUSTED', summary: `The token's certificate chain is not trusted by key "${entry.name}": ${result.reason}.`, steps }
    }
    const missing = [
      ...(policy.leafOids ?? []).filter((oid) => !extensionOids(result.leaf).includes(oid)).map((oid) => `the leaf lacks extension ${oid}`),
      ...(policy.intermediateOids ?? [])
        .filter((oid) => !result.path[1] || !extensionOids(result.path[1]).includes(oid))
        .map((oid) => `the intermediate lacks extension ${oid}`)
    ]
    if (missing.length > 0) {
      steps.push({ label: 'x5c chain', ok: false, detail: missing.join('; ') })
      return {
        ok: false,
        code: 'CERT_UNTRUSTED',
        summary: `The token's certificate chain reaches the trusted root, but ${missing.join(' and ')} (required by key "${entry.name}").`,
        steps
      }
    }
    steps.push({ label: 'x5c chain', ok: true, detail: result.detail })
    return { ok: true, candidates: [{ key: result.leaf.publicKey, label: `x5c leaf "${commonName(result.leaf)}"` }], steps }
  }
  if (header.x5c !== undefined) steps.push({ label: 'x5c chain', ok: true, detail: 'ignored: the key pins its own public key' })

  if (jwks) {
    const keys = Array.isArray(jwks.keys) ? jwks.keys : []
    const signing = keys.filter((jwk) => jwk.use === undefined || jwk.use === 'sig')
    const matching = kid !== undefined ? signing.filter((jwk) => jwk.kid === kid) : signing
    if (kid !== undefined && matching.length === 0) {
      const known = keys.map((jwk) => (typeof jwk.kid === 'string' ? jwk.kid.slice(0, 40) : '(no kid)')).slice(0, 8)
      steps.push({ label: 'JWKS', ok: false, detail: `no key with kid ${kid.slice(0, 64)}` })
      return {
        ok: false,
        code: 'UNKNOWN_KEY_ID',
        summary: `The token's kid ${kid.slice(0, 64)} is not in the JWKS of key "${entry.name}" (it has ${known.join(', ') || 'no keys'}).`,
        steps
      }
    }
    const candidates: Candidate[] = []
    for (const jwk of matching) {
      if (typeof jwk.alg === 'string' && jwk.alg !== header.alg) continue
      const parsed = publicKeyFromJwk(jwk)
      if (parsed.ok)
        candidates.push({ key: parsed.key, label: `JWKS key ${typeof jwk.kid === 'string' ? jwk.kid.slice(0, 64) : '(no kid)'} (${describeKey(parsed.key)})` })
    }
    if (candidates.length === 0) {
      return {
        ok: false,
        code: kid !== undefined ? 'KEY_UNUSABLE' : 'UNKNOWN_KEY_ID',
        summary: `The JWKS of key "${entry.name}" has no usable key for this token (${describeHeader(header)}).`,
        steps
      }
    }
    steps.push({
      label: 'JWKS',
      ok: true,
      detail: kid !== undefined ? `kid ${kid.slice(0, 64)} found` : `no kid in the token: trying ${candidates.length} key(s)`
    })
    return { ok: true, candidates, steps }
  }

  if (kid !== undefined && entry.keyId && entry.keyId !== kid) {
    return { ok: false, code: 'UNKNOWN_KEY_ID', summary: `The token's kid ${kid.slice(0, 64)} is not key "${entry.name}" (key id ${entry.keyId}).`, steps }
  }
  if (publicKey) {
    const parsed = parsePublicKey(publicKey)
    if (!parsed.ok) return { ok: false, code: 'KEY_UNUSABLE', summary: `Key "${entry.name}" cannot be used: ${parsed.error}.`, steps }
    return { ok: true, candidates: [{ key: parsed.key, label: `${describeKey(parsed.key)} public key (${parsed.format})` }], steps }
  }
  if (certificate) {
    const parsed = parseCertificates(certificate)
    if (!parsed.ok) return { ok: false, code: 'KEY_UNUSABLE', summary: `Key "${entry.name}" cannot be used: ${parsed.error}.`, steps }
    const leaf = parsed.certs[0]!
    const invalid = checkValidAt(leaf, now, `the certificate "${commonName(leaf)}"`)
    if (invalid) {
      steps.push({ label: 'Certificate', ok: false, detail: invalid })
      return { ok: false, code: 'CERT_UNTRUSTED', summary: `Key "${entry.name}": ${invalid}.`, steps }
    }
    steps.push({ label: 'Certificate', ok: true, detail: `pinned certificate "${commonName(leaf)}"` })
    return { ok: true, candidates: [{ key: leaf.publicKey, label: `certificate "${commonName(leaf)}" (${describeKey(leaf.publicKey)})` }], steps }
  }
  return { ok: false, code: 'KEY_UNUSABLE', summary: `Key "${entry.name}" has no public key, JWKS or certificate.`, steps }
}

/** Verifies the signature only (no claims). `payload` replaces the compact payload part when detached. */
export async function jwsSignatureVerifies(jws: CompactJws, key: KeyObject, payload?: Buffer): Promise<Uint8Array | null> {
  const alg = jws.protectedHeader.alg as string
  if (!algFitsKey(alg, key)) return null
  const b64 = jws.protectedHeader.b64 !== false
  const input = payload === undefined ? jws.payload : b64 ? payload.toString('base64url') : new Uint8Array(payload)
  try {
    const result = await flattenedVerify({ protected: jws.header, payload: input, signature: jws.signature }, key, { algorithms: [alg] })
    return result.payload
  } catch {
    return null
  }
}

export interface ClaimOptions {
  clockToleranceSeconds: number
  issuer?: string
  audience?: string
  maxAgeSeconds?: number
}

export type ClaimsCheck = { ok: true; detail: string } | { ok: false; code: VerdictCode; summary: string }

/** exp / nbf / iat / iss / aud of a JSON claims payload, judged at `now` (the delivery's arrival). */
export function checkClaims(payload: unknown, now: number, o: ClaimOptions): ClaimsCheck {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return o.issuer || o.audience || o.maxAgeSeconds
      ? { ok: false, code: 'TOKEN_INVALID', summary: 'the payload is not a JSON claims set' }
      : { ok: true, detail: 'no claims (payload is not a JSON object)' }
  }
  const claims = payload as Record<string, unknown>
  const nowSeconds = now / 1000
  const tolerance = o.clockToleranceSeconds
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString()
  const checked: string[] = []
  for (const name of ['exp', 'nbf', 'iat'] as const) {
    if (claims[name] !== undefined && (typeof claims[name] !== 'number' || !Number.isFinite(claims[name]))) {
      return { ok: false, code: 'TOKEN_INVALID', summary: `the "${name}" claim is not a number` }
    }
  }
  const exp = claims.exp as number | undefined
  const nbf = claims.nbf as number | undefined
  const iat = claims.iat as number | undefined
  if (exp !== undefined) {
    if (nowSeconds >= exp + tolerance) {
      return { ok: false, code: 'TOKEN_EXPIRED', summary: `the token expired at ${iso(exp)}, ${Math.round(nowSeconds - exp)} s before the delivery arrived` }
    }
    checked.push(`exp ${iso(exp)}`)
  }
  if (nbf !== undefined) {
    if (nowSeconds + tolerance < nbf) {
      return {
        ok: false,
        code: 'TOKEN_EXPIRED',
        summary: `the token is not valid before ${iso(nbf)}, ${Math.round(nbf - nowSeconds)} s after the delivery arrived`
      }
    }
    checked.push(`nbf ${iso(nbf)}`)
  }
  if (o.maxAgeSeconds !== undefined) {
    if (iat === undefined) return { ok: false, code: 'TOKEN_INVALID', summary: 'the token has no "iat" claim, and the key sets maxAgeSeconds' }
    if (nowSeconds - iat > o.maxAgeSeconds + tolerance) {
      return {
        ok: false,
        code: 'TOKEN_EXPIRED',
        summary: `the token was issued ${Math.round(nowSeconds - iat)} s before the delivery arrived, more than maxAgeSeconds ${o.maxAgeSeconds}`
      }
    }
    checked.push(`iat ${iso(iat)}`)
  }
  if (o.issuer !== undefined) {
    if (claims.iss !== o.issuer)
      return {
        ok: false,
        code: 'TOKEN_INVALID',
        summary: `the issuer is ${JSON.stringify(claims.iss)?.slice(0, 80) ?? 'missing'}, expected ${JSON.stringify(o.issuer)}`
      }
    checked.push('iss')
  }
  if (o.audience !== undefined) {
    const aud = claims.aud
    const audiences = Array.isArray(aud) ? aud : [aud]
    if (!audiences.includes(o.audience))
      return {
        ok: false,
        code: 'TOKEN_INVALID',
        summary: `the audience is ${JSON.stringify(aud)?.slice(0, 80) ?? 'missing'}, expected ${JSON.stringify(o.audience)}`
      }
    checked.push('aud')
  }
  return { ok: true, detail: checked.length > 0 ? checked.join(', ') : 'no time claims' }
}

/** A JWS payload for display: parsed JSON when it is JSON, else text (at most 4 KiB). */
export function displayPayload(bytes: Uint8Array): unknown {
  const buffer = Buffer.from(bytes)
  if (!isUtf8(buffer)) return `<${buffer.length} bytes>`
  const text = buffer.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text.length > 4096 ? `${text.slice(0, 4096)}…` : text
  }
}

export type JwsCheck =
  | { ok: true; protectedHeader: ProtectedHeader; payload: Uint8Array; key: Candidate; steps: VerdictStep[] }
  | { ok: false; code: VerdictCode; summary: string; steps: VerdictStep[]; protectedHeader: ProtectedHeader }

export interface JwsCheckInput {
  entry: KeyEntry
  jws: CompactJws
  /** Detached content: the bytes the signature covers in place of the payload part. */
  payload?: Buffer
  now: number
  algorithms: readonly string[]
  /** null: do not look at claims. */
  claims: ClaimOptions | null
  /** Names what was checked in messages, e.g. "JWS" or "Tl-Signature". */
  noun: string
  chainPolicy?: ChainPolicy
}

/** Header → algorithm policy → key → signature → claims, with a step for each. */
export async function checkJws(input: JwsCheckInput): Promise<JwsCheck> {
  const { entry, jws, now } = input
  const header = jws.protectedHeader
  const alg = header.alg as string
  const steps: VerdictStep[] = [{ label: input.noun, ok: true, detail: describeHeader(header) }]
  const fail = (code: VerdictCode, summary: string): JwsCheck => ({ ok: false, code, summary, steps, protectedHeader: header })
  if (!ASYMMETRIC_JWS_ALGORITHMS.includes(alg)) {
    steps.push({ label: 'Algorithm', ok: false, detail: `${alg.slice(0, 20)} is not an asymmetric signature algorithm` })
    return fail(
      'TOKEN_INVALID',
      `The ${input.noun} uses alg ${alg.slice(0, 20)}; only public-key algorithms (${ASYMMETRIC_JWS_ALGORITHMS.join(', ')}) are accepted.`
    )
  }
  if (!input.algorithms.includes(alg)) {
    steps.push({ label: 'Algorithm', ok: false, detail: `${alg} is not in the key's allowed algorithms (${input.algorithms.join(', ')})` })
    return fail('TOKEN_INVALID', `The ${input.noun} uses alg ${alg}, which key "${entry.name}" does not allow (${input.algorithms.join(', ')}).`)
  }
  const resolution = resolveJwsKeys(entry, header, now, input.chainPolicy)
  steps.push(...resolution.steps)
  if (!resolution.ok) return fail(resolution.code, resolution.summary)
  const fitting = resolution.candidates.filter((candidate) => algFitsKey(alg, candidate.key))
  if (fitting.length === 0) {
    const kinds = resolution.candidates.map((candidate) => describeKey(candidate.key)).join(', ')
    steps.push({ label: 'Key', ok: false, detail: `${kinds} cannot verify ${alg}` })
    return fail('TOKEN_INVALID', `The ${input.noun} (${describeHeader(header)}) needs another key type than key "${entry.name}" holds (${kinds}).`)
  }
  for (const candidate of fitting) {
    const payload = await jwsSignatureVerifies(jws, candidate.key, input.payload)
    if (!payload) continue
    steps.push({ label: 'Signature', ok: true, detail: `verifies with ${candidate.label}` })
    if (input.claims && input.payload === undefined) {
      const claims = checkClaims(displayPayload(payload), now, input.claims)
      steps.push({ label: 'Claims', ok: claims.ok, detail: claims.ok ? claims.detail : claims.summary })
      if (!claims.ok) return fail(claims.code, `The ${input.noun} signature is right (${describeHeader(header)}), but ${claims.summary}.`)
    }
    return { ok: true, protectedHeader: header, payload, key: candidate, steps }
  }
  steps.push({ label: 'Signature', ok: false, detail: `does not verify with ${fitting.map((c) => c.label).join(', ')}` })
  return fail('TOKEN_INVALID', `The ${input.noun} signature (${describeHeader(header)}) does not verify with key "${entry.name}".`)
}

const MAX_OTHER_KEYS = 200
const MAX_FINDINGS = 10

/** Bytes one signature check of `jws` goes through: its signing input (a detached payload base64url-encoded when b64). */
export function jwsTrialBytes(jws: CompactJws, payload: Buffer | undefined): number {
  const signed = payload === undefined ? jws.payload.length : jws.protectedHeader.b64 !== false ? Math.ceil((payload.length * 4) / 3) : payload.length
  return jws.header.length + 1 + signed
}

/**
 * Other keyring entries of these schemes whose keys verify the signature (not the claims): tried
 * only as the near-miss `search` allows (a large detached payload, a large body JWS).
 */
export async function otherJwsKeyFindings(
  jws: CompactJws,
  payload: Buffer | undefined,
  entry: KeyEntry,
  context: SchemeContext,
  schemes: readonly string[],
  search: NearMissSearch,
  policyOf: (other: KeyEntry) => ChainPolicy = () => ({})
): Promise<Finding[]> {
  const alg = jws.protectedHeader.alg as string
  const others: { other: KeyEntry; candidates: Candidate[] }[] = []
  for (const other of context.otherKeys.slice(0, MAX_OTHER_KEYS)) {
    if (other.id === entry.id || !schemes.includes(other.scheme) || !hasJwsKeyMaterial(other)) continue
    const resolution = resolveJwsKeys(other, jws.protectedHeader, context.now, policyOf(other))
    if (resolution.ok) others.push({ other, candidates: resolution.candidates })
  }
  const trials = others.reduce((sum, { candidates }) => sum + candidates.filter((candidate) => algFitsKey(alg, candidate.key)).length, 0)
  if (!search.allows('other keys', trials, jwsTrialBytes(jws, payload))) return []
  const findings: Finding[] = []
  for (const { other, candidates } of others) {
    if (findings.length >= MAX_FINDINGS) break
    for (const candidate of candidates) {
      if (await jwsSignatureVerifies(jws, candidate.key, payload)) {
        findings.push(otherKeyFinding(other, 'The signature verifies with another key'))
        break
      }
    }
  }
  return findings
}
