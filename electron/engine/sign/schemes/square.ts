import { square } from '../../verify/schemes/presets/square'
import { headerValue, withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

const SHA256 = 'x-square-hmacsha256-signature'
const SHA1 = 'x-square-signature'

/**
 * Square: base64 HMAC-SHA256 over notification URL + body (the key option notificationUrl, else
 * the URL the request goes to). The legacy HMAC-SHA1 header is re-signed too when present.
 */
export const squareSigner = hmacSigner(square, (draft, { options }, mac) => {
  draft.headers = withHeader(draft.headers, SHA256, mac())
  if (headerValue(draft.headers, SHA1) !== undefined) draft.headers = withHeader(draft.headers, SHA1, mac({ algorithm: 'sha1' }))
  if (typeof options.notificationUrl !== 'string')
    draft.notes.push(`Signed for ${draft.url}: Square signs the notification URL, so the receiver must see this exact URL.`)
})
