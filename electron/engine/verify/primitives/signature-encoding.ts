export type SignatureEncoding = 'hex' | 'base64' | 'base64url'

export const SIGNATURE_ENCODINGS: readonly SignatureEncoding[] = ['hex', 'base64', 'base64url']

export function encodeSignature(bytes: Uint8Array, encoding: SignatureEncoding): string {
  // A digest is already a Buffer: encode it in place rather than copying it first.
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)).toString(encoding)
}

/** Which encoding (if any) of `bytes` the received text is, tolerating case in hex and base64 padding. */
export function matchEncoding(received: string, bytes: Uint8Array): { encoding: SignatureEncoding; note?: string } | null {
  const buffer = Buffer.from(bytes)
  const hex = buffer.toString('hex')
  if (received === hex) return { encoding: 'hex' }
  if (received.toLowerCase() === hex) return { encoding: 'hex', note: 'upper-case hex' }
  const base64 = buffer.toString('base64')
  if (received === base64) return { encoding: 'base64' }
  if (received === base64.replace(/=+$/, '')) return { encoding: 'base64', note: 'base64 without padding' }
  const base64url = buffer.toString('base64url')
  if (received === base64url || received === base64url + '='.repeat((4 - (base64url.length % 4)) % 4)) {
    return { encoding: 'base64url' }
  }
  return null
}
