import { constants, createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto'
import type { KeyEntry } from '../../../../shared/model/keyring'
import { type KeyKind, keyKind } from '../../verify/primitives/keys/key-kind'
import { parsePublicKey, publicKeyFromJwk } from '../../verify/primitives/keys/parse-public-key'
import { algFitsKey } from '../../verify/schemes/keyed/jose-common'
import { type SignFailure, signFailure } from '../sign-types'
import { readPrivateKey } from './private-key'

/**
 * Compact JWS signing (RFC 7515) with node:crypto. jose signs only asynchronously (Web Crypto) and
 * the signing seam is synchronous; the serialisation is three base64url parts, and every token
 * made here is checked by jose's own verification in the tests.
 */
const DEFAULT_ALG: Partial<Record<KeyKind, string>> = {
  ed25519: 'EdDSA',
  'ec-p256': 'ES256',
  'ec-p384': 'ES384',
  'ec-p521': 'ES512',
  rsa: 'RS256',
  'rsa-pss': 'PS256'
}
const HASH: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' }

export function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url')
}

/** The algorithm to sign with: `preferred` (the original token's) when it fits the key and is allowed, else the key's usual one. */
export function chooseAlg(key: KeyObject, preferred: unknown, allowed?: readonly string[]): string | null {
  const publicKey = createPublicKey(key)
  const ok = (alg: string) => algFitsKey(alg, publicKey) && (!allowed || allowed.includes(alg))
  if (typeof preferred === 'string' && ok(preferred)) return preferred
  const fallback = DEFAULT_ALG[keyKind(publicKey)]
  if (fallback && ok(fallback)) return fallback
  return allowed?.find(ok) ?? null
}

function signature(alg: string, key: KeyObject, input: Buffer): Buffer {
  if (alg === 'EdDSA' || alg === 'Ed25519') return cryptoSign(null, input, key)
  const hash = HASH[alg.slice(2)]!
  if (alg.startsWith('ES')) return cryptoSign(hash, input, { key, dsaEncoding: 'ieee-p1363' })
  if (alg.startsWith('PS')) return cryptoSign(hash, input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 })
  return cryptoSign(hash, input, key)
}

/** `header.payload.signature`; with `detached`, the payload part is left empty (RFC 7515 appendix F). */
export function signCompactJws(protectedHeader: Record<string, unknown>, payload: Buffer, key: KeyObject, detached = false): string {
  const head = b64url(JSON.stringify(protectedHeader))
  const body = b64url(payload)
  const sig = b64url(signature(String(protectedHeader.alg), key, Buffer.from(`${head}.${body}`, 'ascii')))
  return `${head}.${detached ? '' : body}.${sig}`
}

/** The public keys a JOSE entry verifies with (publicKey, JWKS members), each with its kid. */
export function joseVerificationKeys(entry: Pick<KeyEntry, 'material'>): { key: KeyObject; kid?: string }[] {
  const out: { key: KeyObject; kid?: string }[] = []
  const parsed = entry.material.publicKey ? parsePublicKey(entry.material.publicKey) : null
  if (parsed?.ok) out.push({ key: parsed.key })
  for (const jwk of entry.material.jwks?.keys ?? []) {
    const member = publicKeyFromJwk(jwk)
    if (member.ok) out.push({ key: member.key, kid: typeof jwk.kid === 'string' ? jwk.kid : undefined })
  }
  return out
}

/** The verification key that is the pair of `privateKey`, or undefined. */
export function pairOf(privateKey: KeyObject, candidates: readonly { key: KeyObject; kid?: string }[]): { key: KeyObject; kid?: string } | undefined {
  const mine = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  return candidates.find((candidate) => candidate.key.export({ type: 'spki', format: 'der' }).equals(mine))
}

/** JWT claims renewed for a fresh token: iat now, exp/nbf moved by the same amount, a fresh jti. */
export function renewClaims(claims: Record<string, unknown>, nowSec: number, newId: string): Record<string, unknown> {
  const renewed = { ...claims }
  const shift = typeof claims.iat === 'number' ? nowSec - claims.iat : null
  renewed.iat = nowSec
  for (const name of ['exp', 'nbf'] as const) {
    if (typeof claims[name] === 'number') renewed[name] = shift !== null ? (claims[name] as number) + shift : name === 'nbf' ? nowSec : nowSec + 300
  }
  if ('jti' in claims) renewed.jti = newId
  return renewed
}

/**
 * The private key of a JOSE entry and the kid to name, when it is the pair of one of the entry's
 * verification keys (a key that only holds a root certificate for x5c chains cannot sign: the
 * chain's leaf key belongs to the provider).
 */
export function joseSigningKey(entry: KeyEntry, label: string): { key: KeyObject; kid?: string } | SignFailure {
  const read = readPrivateKey(entry.material.privateKey ?? '')
  if (!read.ok) return signFailure('KEY_UNUSABLE', `Key "${entry.name}" cannot sign ${label}: ${read.error}.`)
  const candidates = joseVerificationKeys(entry)
  if (candidates.length === 0) {
    return signFailure(
      'KEY_CANNOT_SIGN',
      `Key "${entry.name}" verifies through a certificate chain (x5c) only: the chain's leaf key belongs to the provider, so Hookscope cannot sign ${label} for it.`
    )
  }
  const pair = pairOf(read.key, candidates)
  if (!pair)
    return signFailure(
      'KEY_PAIR_MISMATCH',
      `Key "${entry.name}": its private key is not the pair of its public key or of any JWKS member, so nothing it signs would verify.`
    )
  return { key: read.key, kid: pair.kid ?? entry.keyId ?? undefined }
}

/** The decoded JSON object of a payload part, or null. */
export function jsonPayload(payload: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** Header members a re-signed token cannot keep (they describe the old signer's key or encoding). */
export function reusableHeader(header: Record<string, unknown> | undefined): Record<string, unknown> {
  const { x5c: _x5c, x5t: _x5t, 'x5t#S256': _x5t256, jwk: _jwk, jku: _jku, x5u: _x5u, b64: _b64, crit: _crit, kid: _kid, ...rest } = header ?? {}
  return rest
}
