import { constants, createDecipheriv, createPublicKey, type KeyObject, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto'
import { keyKind } from '../../verify/primitives/keys/key-kind'
import { parsePrivateKey } from '../../verify/primitives/keys/parse-private-key'
import { parseCompactJweHeader } from '../../verify/schemes/keyed/jose-common'
import { jwe, options as jweOptions } from '../../verify/schemes/keyed/jwe'
import { headerValue, withHeader } from '../header-edit'
import { b64url } from '../keyed/compact-jws'
import { plaintextToSeal } from '../keyed/envelope-plaintext'
import { gcmSeal } from '../keyed/gcm-seal'
import { signFailure } from '../sign-types'
import { defineSigner } from '../signer-core'

const OAEP_HASH: Record<string, string> = { 'RSA-OAEP': 'sha1', 'RSA-OAEP-256': 'sha256', 'RSA-OAEP-384': 'sha384', 'RSA-OAEP-512': 'sha512' }
const GCM_BYTES: Record<string, number> = { A128GCM: 16, A192GCM: 24, A256GCM: 32 }

/** Opens a compact JWE this signer could have made (RSA-OAEP*, A*GCM) with the key; null otherwise. */
function openJwe(token: string, privateKey: KeyObject): Buffer | null {
  const [head, encryptedKey, iv, ciphertext, tag] = token.split('.')
  const header = parseCompactJweHeader(token)
  const hash = typeof header?.alg === 'string' ? OAEP_HASH[header.alg] : undefined
  const size = typeof header?.enc === 'string' ? GCM_BYTES[header.enc] : undefined
  if (!hash || !size) return null
  try {
    const cek = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, Buffer.from(encryptedKey!, 'base64url'))
    const decipher = createDecipheriv(`aes-${size * 8}-gcm` as 'aes-256-gcm', cek, Buffer.from(iv!, 'base64url'), { authTagLength: 16 })
    decipher.setAAD(Buffer.from(head!, 'ascii'))
    decipher.setAuthTag(Buffer.from(tag!, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(ciphertext!, 'base64url')), decipher.final()])
  } catch {
    return null
  }
}

/**
 * A compact JWE re-encrypted to the key's own public half (derived from its private key): RSA-OAEP
 * key wrapping and AES-GCM content encryption with node:crypto (jose encrypts only asynchronously;
 * the tests decrypt every token with jose). ECDH-ES and CBC-HS are read by the verifier but not
 * produced here. The original's alg/enc are kept when they are among those; a JWE this key cannot
 * open (another key, or ECDH-ES / CBC-HS) needs its plaintext passed in.
 */
export const jweSigner = defineSigner({
  scheme: jwe,
  signsWith: ['privateKey'],
  limits: 'Hookscope re-encrypts JWEs with RSA-OAEP and AES-GCM only (ECDH-ES keys cannot be used to re-encrypt).',
  check: (key) => {
    const parsed = parsePrivateKey(key.material.privateKey)
    if (parsed.ok && keyKind(parsed.key) !== 'rsa') {
      return signFailure(
        'SCHEME_CANNOT_SIGN',
        `Key "${key.name}" is an ${parsed.kind} key: Hookscope re-encrypts JWEs with RSA-OAEP only (ECDH-ES is not produced).`
      )
    }
    return null
  },
  write: (draft, { key, options, plaintext }) => {
    const o = jweOptions.read(options)
    const parsed = parsePrivateKey(key.material.privateKey)
    if (!parsed.ok) return signFailure('KEY_UNUSABLE', `Key "${key.name}" cannot be used: ${parsed.error}.`)
    const privateKey = parsed.key
    const current = o.header ? headerValue(draft.headers, o.header) : draft.body.toString('utf8')
    const text = current?.trim().replace(/^Bearer\s+/i, '')
    const existing = text ? parseCompactJweHeader(text) : null
    const clear = plaintextToSeal(plaintext, draft.body, { present: existing !== null, open: () => openJwe(text!, privateKey) }, 'JWE')
    if (!Buffer.isBuffer(clear)) return clear
    const algs = (o.keyManagementAlgorithms ?? ['RSA-OAEP-256', 'RSA-OAEP', 'RSA-OAEP-384', 'RSA-OAEP-512']).filter((alg) => alg in OAEP_HASH)
    const encs = (o.contentEncryptionAlgorithms ?? ['A256GCM', 'A128GCM', 'A192GCM']).filter((enc) => enc in GCM_BYTES)
    const alg = typeof existing?.alg === 'string' && algs.includes(existing.alg as never) ? existing.alg : algs[0]
    const enc = typeof existing?.enc === 'string' && encs.includes(existing.enc as never) ? existing.enc : encs[0]
    if (!alg || !enc)
      return signFailure('SCHEME_CANNOT_SIGN', 'The key allows only algorithms Hookscope does not produce (it re-encrypts with RSA-OAEP and AES-GCM).')
    const kid = key.keyId ?? (typeof existing?.kid === 'string' ? existing.kid : undefined)
    const protectedHeader = b64url(JSON.stringify({ alg, enc, ...(kid ? { kid } : {}) }))
    const cek = randomBytes(GCM_BYTES[enc]!)
    const encryptedKey = publicEncrypt({ key: createPublicKey(privateKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[alg] }, cek)
    const iv = randomBytes(12)
    const sealed = gcmSeal(cek, iv, clear, Buffer.from(protectedHeader, 'ascii'))
    const token = [protectedHeader, b64url(encryptedKey), b64url(iv), b64url(sealed.ciphertext), b64url(sealed.tag)].join('.')
    if (o.header) draft.headers = withHeader(draft.headers, o.header, /^Bearer\s/i.test(current ?? '') ? `Bearer ${token}` : token)
    else draft.body = Buffer.from(token, 'utf8')
    draft.notes.push(`Re-encrypted as ${alg} / ${enc} to the key's public half.`)
  }
})
