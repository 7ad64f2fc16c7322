import { createHash } from 'node:crypto'

/**
 * Provider-shaped values derived from the fresh id the caller passes in, so a signer stays a pure
 * function of its input (the same input signs the same way) while every delivery gets new ids.
 */
export function unixSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000)
}

/** RFC 3339 in UTC without fractions (Box, Twitch and WeChat-style date-times). */
export function rfc3339(nowMs: number): string {
  return new Date(unixSeconds(nowMs) * 1000).toISOString().replace('.000Z', 'Z')
}

function digest(id: string, purpose: string): Buffer {
  return createHash('sha256').update(`${purpose}\0${id}`, 'utf8').digest()
}

/** A version-4-shaped UUID derived from the id (GitHub, Twitch, Linear, Box delivery ids). */
export function uuidFrom(id: string, purpose = 'uuid'): string {
  const bytes = digest(id, purpose).subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Lower-case hex of the given length derived from the id (Mailgun tokens, nonces). */
export function hexFrom(id: string, length: number, purpose = 'hex'): string {
  let out = ''
  for (let round = 0; out.length < length; round++) out += digest(id, `${purpose}${round}`).toString('hex')
  return out.slice(0, length)
}
