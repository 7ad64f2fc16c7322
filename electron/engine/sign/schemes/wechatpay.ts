import { createPublicKey, randomBytes } from 'node:crypto'
import { parseCertificates } from '../../verify/primitives/keys/certificates'
import { wechatpay } from '../../verify/schemes/keyed/wechatpay'
import { hexFrom, unixSeconds } from '../fresh-values'
import { headerValue, withHeader } from '../header-edit'
import { parseJsonObject, reserialize } from '../json-edit'
import { gcmSeal } from '../keyed/gcm-seal'
import { readPrivateKey } from '../keyed/private-key'
import { signatureSigner } from '../keyed/signature-signer'
import { signFailure } from '../sign-types'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** WeChat Pay nonces are text (the resource nonce is used as its UTF-8 bytes). */
function textNonce(length: number): string {
  return [...randomBytes(length)].map((byte) => ALNUM[byte % ALNUM.length]).join('')
}

/**
 * WeChat Pay v3: RSA-SHA256 over `timestamp\nnonce\nbody\n`, with Wechatpay-Serial naming the
 * platform certificate that holds the pair of the private key (or the PUB_KEY_ID_ of the public
 * key). Given a plaintext and an APIv3 key (secret), the body's `resource` is re-sealed with a
 * fresh nonce, as AEAD_AES_256_GCM.
 */
export const wechatpaySigner = signatureSigner(
  wechatpay,
  (draft, { now, newId, key, plaintext }, sign) => {
    const read = readPrivateKey(key.material.privateKey!)
    if (!read.ok) return signFailure('KEY_UNUSABLE', read.error)
    const mine = createPublicKey(read.key).export({ type: 'spki', format: 'der' })
    const certificates = parseCertificates(key.material.certificate)
    const certificate = certificates.ok ? certificates.certs.find((cert) => cert.publicKey.export({ type: 'spki', format: 'der' }).equals(mine)) : undefined
    const current = headerValue(draft.headers, 'Wechatpay-Serial')
    const serial = certificate?.serialNumber ?? key.keyId ?? (current?.startsWith('PUB_KEY_ID_') ? current : `PUB_KEY_ID_${hexFrom(key.id, 32, 'wechat-key')}`)
    if (plaintext && key.material.secret) {
      const json = parseJsonObject(draft.body)
      const resource = json?.resource
      if (!json || typeof resource !== 'object' || resource === null)
        return signFailure('PAYLOAD_UNSUITABLE', 'A plaintext was given, but the body has no resource object to seal it in.')
      const nonce = textNonce(12)
      const aad = (resource as Record<string, unknown>).associated_data
      const sealed = gcmSeal(
        Buffer.from(key.material.secret, 'utf8'),
        Buffer.from(nonce, 'utf8'),
        plaintext,
        typeof aad === 'string' ? Buffer.from(aad, 'utf8') : undefined
      )
      json.resource = { ...resource, algorithm: 'AEAD_AES_256_GCM', nonce, ciphertext: Buffer.concat([sealed.ciphertext, sealed.tag]).toString('base64') }
      draft.body = reserialize(draft.body.toString('utf8'), json)
      draft.notes.push('resource re-sealed with the APIv3 key and a fresh nonce.')
    }
    const timestamp = String(unixSeconds(now))
    const nonce = hexFrom(newId, 32, 'wechat-nonce').toUpperCase()
    draft.headers = withHeader(draft.headers, 'Wechatpay-Timestamp', timestamp)
    draft.headers = withHeader(draft.headers, 'Wechatpay-Nonce', nonce)
    draft.headers = withHeader(draft.headers, 'Wechatpay-Serial', serial)
    draft.headers = withHeader(draft.headers, 'Wechatpay-Signature', sign({ timestampRaw: timestamp, fields: { nonce } }))
  },
  'WeChat Pay signs with its platform private key, which it never hands out: only a key pair of your own (privateKey beside the certificate or public key) can sign.'
)
