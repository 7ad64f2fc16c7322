import { genericHmac, genericHmacOptionsSchema, X_SIGNATURE_OPTIONS, xSignature } from '../../verify/schemes/generic-hmac'
import { unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/**
 * The configurable HMAC (and the seed X-Signature format built on it): the key's options say
 * which headers carry the id, the timestamp and the signature, with which prefix; the template
 * says what is signed. A rotation list (separator) is replaced by the one new signature.
 */
function configurableSigner(scheme: typeof genericHmac, fixed: Record<string, unknown>) {
  return hmacSigner(scheme, (draft, { now, newId, options }, mac) => {
    const o = genericHmacOptionsSchema.parse({ ...options, ...fixed })
    const deliveryId = o.idHeader ? newId : undefined
    const timestampRaw = o.timestampHeader ? String(unixSeconds(now)) : undefined
    if (o.idHeader) draft.headers = withHeader(draft.headers, o.idHeader, newId)
    if (o.timestampHeader) draft.headers = withHeader(draft.headers, o.timestampHeader, timestampRaw!)
    draft.headers = withHeader(draft.headers, o.header, `${o.prefix}${mac({ algorithm: o.algorithm, deliveryId, timestampRaw })}`)
  })
}

export const genericHmacSigner = configurableSigner(genericHmac, {})
export const xSignatureSigner = configurableSigner(xSignature, X_SIGNATURE_OPTIONS)
