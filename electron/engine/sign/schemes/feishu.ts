import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { jsonObjectBody } from '../../verify/json-body'
import { feishu, feishuDecrypt, signatureOf } from '../../verify/schemes/keyed/feishu'
import { hexFrom, unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { plaintextToSeal } from '../keyed/envelope-plaintext'
import { defineSigner } from '../signer-core'

/** Feishu's encryption: AES-256-CBC under SHA-256(Encrypt Key), a random IV in front, base64. */
function feishuEncrypt(encryptKey: string, plaintext: Buffer): string {
  const iv = randomBytes(16)
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(encryptKey, 'utf8').digest(), iv)
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()]).toString('base64')
}

/**
 * Feishu / Lark: the event re-encrypted as {"encrypt": ...} with the Encrypt Key, and
 * X-Lark-Signature (SHA-256 of timestamp + nonce + Encrypt Key + body) with a fresh timestamp and nonce.
 */
export const feishuSigner = defineSigner({
  scheme: feishu,
  signsWith: ['secret'],
  write: (draft, { key, now, newId, plaintext }) => {
    const encryptKey = key.material.secret!
    const encrypted = jsonObjectBody(draft.body)?.encrypt
    const clear = plaintextToSeal(
      plaintext,
      draft.body,
      { present: typeof encrypted === 'string', open: () => feishuDecrypt(encryptKey, encrypted as string) },
      'Feishu encrypted event'
    )
    if (!Buffer.isBuffer(clear)) return clear
    draft.body = Buffer.from(JSON.stringify({ encrypt: feishuEncrypt(encryptKey, clear) }), 'utf8')
    const timestamp = String(unixSeconds(now))
    const nonce = hexFrom(newId, 16, 'feishu-nonce')
    draft.headers = withHeader(draft.headers, 'X-Lark-Request-Timestamp', timestamp)
    draft.headers = withHeader(draft.headers, 'X-Lark-Request-Nonce', nonce)
    draft.headers = withHeader(draft.headers, 'X-Lark-Signature', signatureOf(encryptKey, timestamp, nonce, draft.body))
  }
})
