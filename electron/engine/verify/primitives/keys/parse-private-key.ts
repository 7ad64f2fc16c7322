import { createPrivateKey, type KeyObject } from 'node:crypto'
import { decodeBinary } from './binary-text'
import { type KeyKind, keyKind } from './key-kind'
import { firstPemBlock } from './parse-public-key'

/**
 * Turns the text of a keyring `privateKey` (for JWE decryption) into a KeyObject: PEM PKCS#8
 * (also PKCS#1 RSA and SEC1 EC), a private JWK as JSON, or base64 DER PKCS#8. Encrypted PEM is
 * refused (the keyring already protects the material). Error sentences never quote the text.
 */
export type ParsedPrivateKey = { ok: true; key: KeyObject; kind: KeyKind; format: 'PEM' | 'JWK' | 'base64 DER PKCS#8' } | { ok: false; error: string }

export function parsePrivateKey(text: string | undefined, field = 'privateKey'): ParsedPrivateKey {
  const trimmed = text?.trim() ?? ''
  if (trimmed.length === 0) return { ok: false, error: `the ${field} field is empty` }
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      const label = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(trimmed)?.[1] ?? ''
      if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(trimmed)) {
        return { ok: false, error: `the ${field} field is an encrypted PEM; store it unencrypted (the keyring encrypts it)` }
      }
      if (!label.endsWith('PRIVATE KEY')) return { ok: false, error: `the ${field} field is PEM ${label || 'of no type'}, not a private key` }
      return done(createPrivateKey(firstPemBlock(trimmed)), 'PEM')
    }
    if (trimmed.startsWith('{')) {
      let jwk: unknown
      try {
        jwk = JSON.parse(trimmed)
      } catch {
        return { ok: false, error: `the ${field} field starts with "{" but is not valid JSON` }
      }
      if (typeof jwk !== 'object' || jwk === null || !('d' in jwk)) return { ok: false, error: `the ${field} field is JSON, but not a private JWK (no "d")` }
      return done(createPrivateKey({ key: jwk as never, format: 'jwk' }), 'JWK')
    }
    const bytes = decodeBinary(trimmed.replace(/\s+/g, ''), 'base64')
    if (!bytes) return { ok: false, error: `the ${field} field is not PEM, JWK JSON or base64 DER` }
    return done(createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' }), 'base64 DER PKCS#8')
  } catch {
    return { ok: false, error: `the ${field} field could not be read as a private key` }
  }
}

function done(key: KeyObject, format: 'PEM' | 'JWK' | 'base64 DER PKCS#8'): ParsedPrivateKey {
  return { ok: true, key, kind: keyKind(key), format }
}
