/**
 * How a keyring secret (the text a provider's dashboard shows) becomes key bytes. Getting this
 * wrong is the most common cause of "right secret, wrong signature" (signature-schemes.md §0.1).
 */
export type SecretDecoding = 'utf8' | 'base64' | 'hex' | 'whsec'

export const SECRET_DECODINGS: readonly SecretDecoding[] = ['utf8', 'whsec', 'base64', 'hex']

export const SECRET_DECODING_LABEL: Record<SecretDecoding, string> = {
  utf8: 'raw text (the characters as typed)',
  whsec: 'base64 after stripping the whsec_ prefix',
  base64: 'base64',
  hex: 'hex'
}

/** Key bytes, or null when the secret is not valid in that decoding. */
export function decodeSecret(secret: string, decoding: SecretDecoding): Buffer | null {
  switch (decoding) {
    case 'utf8':
      return Buffer.from(secret, 'utf8')
    case 'whsec':
      return secret.startsWith('whsec_') ? strictBase64(secret.slice('whsec_'.length)) : null
    case 'base64':
      return strictBase64(secret)
    case 'hex':
      return /^(?:[0-9a-fA-F]{2})+$/.test(secret) ? Buffer.from(secret, 'hex') : null
  }
}

/** Node's base64 decoder skips junk silently; a secret must be base64 or base64url through and through. */
export function strictBase64(text: string): Buffer | null {
  const trimmed = text.trim()
  if (trimmed.length === 0 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return null
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
  return bytes.length > 0 ? bytes : null
}
