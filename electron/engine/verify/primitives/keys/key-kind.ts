import type { KeyObject } from 'node:crypto'

/** What an asymmetric key is, in the terms schemes and messages use. */
export type KeyKind = 'ed25519' | 'ed448' | 'ec-p256' | 'ec-p384' | 'ec-p521' | 'ec-other' | 'rsa' | 'rsa-pss' | 'other'

export const KEY_KIND_LABEL: Record<KeyKind, string> = {
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  'ec-p256': 'EC P-256',
  'ec-p384': 'EC P-384',
  'ec-p521': 'EC P-521',
  'ec-other': 'EC (other curve)',
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  other: 'an unsupported key type'
}

const CURVES: Record<string, KeyKind> = { prime256v1: 'ec-p256', secp384r1: 'ec-p384', secp521r1: 'ec-p521' }

export function keyKind(key: KeyObject): KeyKind {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'ed25519'
    case 'ed448':
      return 'ed448'
    case 'ec':
      return CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'ec-other'
    case 'rsa':
      return 'rsa'
    case 'rsa-pss':
      return 'rsa-pss'
    default:
      return 'other'
  }
}

/** "Ed25519", "EC P-256", "RSA 2048-bit": safe to show (no key material). */
export function describeKey(key: KeyObject): string {
  const kind = keyKind(key)
  if (kind === 'rsa' || kind === 'rsa-pss') {
    const bits = key.asymmetricKeyDetails?.modulusLength
    return bits ? `${KEY_KIND_LABEL[kind]} ${bits}-bit` : KEY_KIND_LABEL[kind]
  }
  return KEY_KIND_LABEL[kind]
}

/** A sentence when the key is not one of `kinds`, else null. */
export function expectKind(key: KeyObject, kinds: readonly KeyKind[], what: string): string | null {
  if (kinds.includes(keyKind(key))) return null
  return `${what} is ${describeKey(key)}, but ${kinds.map((k) => KEY_KIND_LABEL[k]).join(' or ')} is needed`
}
