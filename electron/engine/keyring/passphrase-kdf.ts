import { randomBytes, scryptSync } from 'node:crypto'
import { AES_KEY_BYTES } from './aes-gcm'

/** scrypt cost parameters, stored next to whatever they protect so they can be raised later. */
export interface ScryptParams {
  kdf: 'scrypt'
  N: number
  r: number
  p: number
  /** base64url */
  salt: string
}

/** N=2^15, r=8, p=1: 32 MiB and roughly 100 ms per derivation (the interactive-login setting). */
const DEFAULT_COST = { N: 2 ** 15, r: 8, p: 1 } as const
const SALT_BYTES = 16
/**
 * Parameters come back from the store and, worse, from imported bundles: bound them so a crafted
 * header cannot make us allocate gigabytes or spin for minutes.
 */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024

export function newScryptParams(): ScryptParams {
  return { kdf: 'scrypt', ...DEFAULT_COST, salt: randomBytes(SALT_BYTES).toString('base64url') }
}

/** Returns the params when they are well-formed and affordable, else null. */
export function parseScryptParams(value: unknown): ScryptParams | null {
  if (typeof value !== 'object' || value === null) return null
  const { kdf, N, r, p, salt } = value as Record<string, unknown>
  if (kdf !== 'scrypt' || typeof salt !== 'string') return null
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p)) return null
  const n = N as number
  const rr = r as number
  const pp = p as number
  if (n < 2 ** 14 || n > 2 ** 20 || (n & (n - 1)) !== 0) return null
  if (rr < 1 || rr > 32 || pp < 1 || pp > 4) return null
  if (128 * n * rr > MAX_SCRYPT_MEMORY) return null
  const saltBytes = Buffer.from(salt, 'base64url')
  if (saltBytes.length < SALT_BYTES || saltBytes.length > 64) return null
  return { kdf: 'scrypt', N: n, r: rr, p: pp, salt }
}

/**
 * Passphrase → 32-byte key-encryption key. NFC first, so the same passphrase typed on macOS and
 * on Windows (which may compose accents differently) gives the same key. The caller zeroes the result.
 */
export function deriveKek(passphrase: string, params: ScryptParams): Buffer {
  const { N, r, p } = params
  // OpenSSL needs 128·r·(N + p + 2) bytes; Node's 32 MiB default is just short of that for N=2^15, r=8.
  const maxmem = 128 * r * (N + p + 2) + 1024 * 1024
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(params.salt, 'base64url'), AES_KEY_BYTES, { N, r, p, maxmem })
}
