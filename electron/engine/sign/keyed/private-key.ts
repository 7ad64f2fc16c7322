import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import type { KeyEntry } from '../../../../shared/model/keyring'
import { decodeBinary } from '../../verify/primitives/keys/binary-text'
import { describeKey, expectKind, type KeyKind } from '../../verify/primitives/keys/key-kind'
import { parsePrivateKey } from '../../verify/primitives/keys/parse-private-key'
import { type SignFailure, signFailure } from '../sign-types'

/** PKCS#8 header for a raw 32-byte Ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

/**
 * The signing key of an entry: its `privateKey` as the verifier's parser reads it (PEM, JWK,
 * base64 DER), or a Standard Webhooks `whsk_` key (base64 of the 32-byte Ed25519 seed, optionally
 * followed by the public half).
 */
export function readPrivateKey(text: string): { ok: true; key: KeyObject } | { ok: false; error: string } {
  const trimmed = text.trim()
  if (trimmed.startsWith('whsk_')) {
    const raw = decodeBinary(trimmed.slice(5), 'base64') ?? decodeBinary(trimmed.slice(5), 'base64url')
    if (!raw || (raw.length !== 32 && raw.length !== 64))
      return { ok: false, error: 'the privateKey starts with whsk_ but is not base64 of a 32-byte Ed25519 seed' }
    return { ok: true, key: createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, raw.subarray(0, 32)]), format: 'der', type: 'pkcs8' }) }
  }
  const parsed = parsePrivateKey(trimmed)
  return parsed.ok ? { ok: true, key: parsed.key } : parsed
}

function spki(key: KeyObject): Buffer {
  return (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' })
}

/**
 * The entry's private key, checked: of a kind the scheme signs with, and the pair of the public
 * key(s) the verifier will check with (otherwise the signature could never verify).
 */
export function signingKeyOf(key: KeyEntry, kinds: readonly KeyKind[], label: string, publicKeys: readonly KeyObject[]): { key: KeyObject } | SignFailure {
  const read = readPrivateKey(key.material.privateKey ?? '')
  if (!read.ok) return signFailure('KEY_UNUSABLE', `Key "${key.name}" cannot sign ${label}: ${read.error}.`)
  const wrong = expectKind(read.key, kinds, 'its private key')
  if (wrong) return signFailure('KEY_UNUSABLE', `Key "${key.name}" cannot sign ${label}: ${wrong}.`)
  if (publicKeys.length > 0) {
    const mine = spki(read.key)
    if (!publicKeys.some((candidate) => spki(candidate).equals(mine))) {
      return signFailure(
        'KEY_PAIR_MISMATCH',
        `Key "${key.name}": its private key (${describeKey(read.key)}) is not the pair of its public key, so nothing it signs would verify.`
      )
    }
  }
  return { key: read.key }
}
