import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto'
import { decodeBinary } from './binary-text'
import { type KeyKind, keyKind } from './key-kind'

/**
 * Turns the text of a keyring `publicKey` into a KeyObject. Accepted: PEM (SPKI, PKCS#1 RSA, or a
 * certificate), a JWK as JSON, base64 DER SPKI (SendGrid's dashboard format), and raw Ed25519
 * public keys (32 bytes) as `whpk_<base64>` (Standard Webhooks), 64 hex characters (Discord) or
 * base64. Private or symmetric material is refused: a public-key field must not hold a secret.
 * Error sentences never quote the text.
 */
export type PublicKeyFormat =
  | 'PEM public key'
  | 'PEM certificate'
  | 'JWK'
  | 'base64 DER SPKI'
  | 'base64 DER certificate'
  | 'whpk_ raw Ed25519'
  | 'hex raw Ed25519'
  | 'base64 raw Ed25519'

export type ParsedPublicKey = { ok: true; key: KeyObject; kind: KeyKind; format: PublicKeyFormat } | { ok: false; error: string }

/** SPKI header for a raw 32-byte Ed25519 key (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

export function ed25519FromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
}

export function parsePublicKey(text: string | undefined, field = 'publicKey'): ParsedPublicKey {
  const trimmed = text?.trim() ?? ''
  if (trimmed.length === 0) return { ok: false, error: `the ${field} field is empty` }
  const done = (key: KeyObject, format: PublicKeyFormat): ParsedPublicKey =>
    key.type === 'public' ? { ok: true, key, kind: keyKind(key), format } : { ok: false, error: `the ${field} field does not hold a public key` }
  try {
    if (trimmed.startsWith('-----BEGIN')) return parsePem(trimmed, field, done)
    if (trimmed.startsWith('{')) return parseJwkText(trimmed, field, done)
    if (/^whsk_/.test(trimmed)) return { ok: false, error: `the ${field} field holds a whsk_ signing (private) key; paste the whpk_ public key instead` }
    if (trimmed.startsWith('whpk_')) {
      const raw = decodeBinary(trimmed.slice(5), 'base64') ?? decodeBinary(trimmed.slice(5), 'base64url')
      if (raw?.length !== 32) return { ok: false, error: `the ${field} field starts with whpk_ but is not base64 of a 32-byte Ed25519 key` }
      return done(ed25519FromRaw(raw), 'whpk_ raw Ed25519')
    }
    if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return done(ed25519FromRaw(Buffer.from(trimmed, 'hex')), 'hex raw Ed25519')
    const bytes = decodeBinary(trimmed.replace(/\s+/g, ''), 'base64') ?? decodeBinary(trimmed.replace(/\s+/g, ''), 'base64url')
    if (!bytes) return { ok: false, error: `the ${field} field is not PEM, JWK JSON, base64 DER or a raw Ed25519 key` }
    if (bytes.length === 32) return done(ed25519FromRaw(bytes), 'base64 raw Ed25519')
    const spki = tryPublicDer(bytes)
    if (spki) return done(spki, 'base64 DER SPKI')
    const certificate = tryCertificateDer(bytes)
    if (certificate) return done(certificate, 'base64 DER certificate')
    return { ok: false, error: `the ${field} field is base64, but not a DER public key (SPKI) or certificate` }
  } catch {
    return { ok: false, error: `the ${field} field could not be read as a public key` }
  }
}

type Done = (key: KeyObject, format: PublicKeyFormat) => ParsedPublicKey

function parsePem(text: string, field: string, done: Done): ParsedPublicKey {
  const label = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1] ?? ''
  if (label.includes('PRIVATE KEY')) return { ok: false, error: `the ${field} field holds a private key (PEM ${label}); store only the public key` }
  if (label === 'CERTIFICATE') return done(new X509Certificate(firstPemBlock(text)).publicKey, 'PEM certificate')
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') return done(createPublicKey(firstPemBlock(text)), 'PEM public key')
  return { ok: false, error: `the ${field} field is PEM of an unsupported type (${label || 'unlabelled'})` }
}

function parseJwkText(text: string, field: string, done: Done): ParsedPublicKey {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, error: `the ${field} field starts with "{" but is not valid JSON` }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: `the ${field} field is JSON, but not a JWK object` }
  const jwk = value as Record<string, unknown>
  if (Array.isArray(jwk.keys)) return { ok: false, error: `the ${field} field holds a JWKS; put it in the jwks field instead` }
  const parsed = publicKeyFromJwk(jwk, field)
  return parsed.ok ? done(parsed.key, 'JWK') : parsed
}

/** A public KeyObject from one JWK (as found in a JWKS or a field); refuses private and symmetric JWKs. */
export function publicKeyFromJwk(jwk: Record<string, unknown>, field = 'JWK'): { ok: true; key: KeyObject } | { ok: false; error: string } {
  if (typeof jwk.kty !== 'string') return { ok: false, error: `the ${field} has no "kty"` }
  if (jwk.kty === 'oct') return { ok: false, error: `the ${field} is a symmetric (oct) key, not a public key` }
  if ('d' in jwk) return { ok: false, error: `the ${field} contains private key material ("d"); store only the public part` }
  try {
    // Only the public members: anything else is ignored rather than trusted.
    const { kty, crv, x, y, n, e } = jwk
    const members = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined))
    return { ok: true, key: createPublicKey({ key: members as never, format: 'jwk' }) }
  } catch {
    return { ok: false, error: `the ${field} (kty ${jwk.kty.slice(0, 8)}) could not be read as a public key` }
  }
}

export function firstPemBlock(text: string): string {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/.exec(text)
  return match ? match[0] : text
}

function tryPublicDer(bytes: Buffer): KeyObject | null {
  try {
    return createPublicKey({ key: bytes, format: 'der', type: 'spki' })
  } catch {
    try {
      return createPublicKey({ key: bytes, format: 'der', type: 'pkcs1' })
    } catch {
      return null
    }
  }
}

function tryCertificateDer(bytes: Buffer): KeyObject | null {
  try {
    return new X509Certificate(bytes).publicKey
  } catch {
    return null
  }
}
