import { box } from '../../verify/schemes/presets/box'
import { rfc3339, uuidFrom } from '../fresh-values'
import { withHeader, withHeaderIfPresent } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/**
 * Box: base64 HMAC-SHA256 over body + box-delivery-timestamp, in box-signature-primary (or
 * -secondary when the key option signatureKey says this entry is the secondary key). The other
 * header is left as it was: one keyring entry holds one Box key.
 */
export const boxSigner = hmacSigner(box, (draft, { now, newId, options }, mac) => {
  const timestamp = rfc3339(now)
  draft.headers = withHeaderIfPresent(draft.headers, 'box-delivery-id', uuidFrom(newId))
  draft.headers = withHeader(draft.headers, 'box-delivery-timestamp', timestamp)
  const name = options.signatureKey === 'secondary' ? 'box-signature-secondary' : 'box-signature-primary'
  draft.headers = withHeader(draft.headers, name, mac({ timestampRaw: timestamp }))
})
