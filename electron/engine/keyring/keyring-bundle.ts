import { randomBytes } from 'node:crypto'
import { EngineError } from '../../../shared/errors'
import { decryptGcm, encryptGcm, GCM_IV_BYTES, GCM_TAG_BYTES } from './aes-gcm'
import { deriveKek, newScryptParams, parseScryptParams } from './passphrase-kdf'

/**
 * Encrypted keyring bundle: `hookscope-keyring-v1.<header>.<ciphertext+tag>`, both base64url.
 * The header (JSON `{kdf, N, r, p, salt, iv}`) travels in clear because the reader needs it to
 * derive the key; it is the AAD, so editing it (say, to weaker scrypt costs) breaks the tag.
 * The plaintext is the plaintext keyring file JSON. Portable: it does not depend on any data key.
 */
export const BUNDLE_PREFIX = 'hookscope-keyring-v1'

const BASE64URL = /^[A-Za-z0-9_-]+$/
const DAMAGED = 'wrong passphrase or damaged bundle'

export function sealBundle(plaintext: Buffer, passphrase: string): string {
  const scrypt = newScryptParams()
  const iv = randomBytes(GCM_IV_BYTES)
  const header = Buffer.from(JSON.stringify({ ...scrypt, iv: iv.toString('base64url') }), 'utf8').toString('base64url')
  const kek = deriveKek(passphrase, scrypt)
  try {
    const { ciphertext, tag } = encryptGcm(kek, iv, plaintext, Buffer.from(header, 'ascii'))
    return `${BUNDLE_PREFIX}.${header}.${Buffer.concat([ciphertext, tag]).toString('base64url')}`
  } finally {
    kek.fill(0)
  }
}

/**
 * Returns the plaintext (the caller zeroes it). Not a bundle at all → BAD_INPUT; anything else
 * that goes wrong → BAD_PASSPHRASE, since a wrong passphrase and a damaged bundle look the same.
 */
export function openBundle(bundle: string, passphrase: string): Buffer {
  const parts = bundle.trim().split('.')
  if (parts.length !== 3 || parts[0] !== BUNDLE_PREFIX) {
    throw new EngineError('BAD_INPUT', `not a Hookscope keyring bundle (it starts with "${BUNDLE_PREFIX}.")`)
  }
  const [, header, body] = parts as [string, string, string]
  if (!BASE64URL.test(header) || !BASE64URL.test(body)) throw new EngineError('BAD_PASSPHRASE', DAMAGED)
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))
  } catch {
    throw new EngineError('BAD_PASSPHRASE', DAMAGED)
  }
  const scrypt = parseScryptParams(parsed)
  const ivText = (parsed as { iv?: unknown }).iv
  const iv = typeof ivText === 'string' ? Buffer.from(ivText, 'base64url') : Buffer.alloc(0)
  const sealed = Buffer.from(body, 'base64url')
  if (!scrypt || iv.length !== GCM_IV_BYTES || sealed.length < GCM_TAG_BYTES) throw new EngineError('BAD_PASSPHRASE', DAMAGED)
  const kek = deriveKek(passphrase, scrypt)
  try {
    const ciphertext = sealed.subarray(0, sealed.length - GCM_TAG_BYTES)
    const tag = sealed.subarray(sealed.length - GCM_TAG_BYTES)
    return decryptGcm(kek, iv, ciphertext, tag, Buffer.from(header, 'ascii'))
  } catch {
    throw new EngineError('BAD_PASSPHRASE', DAMAGED)
  } finally {
    kek.fill(0)
  }
}
