import { coinbase } from '../../verify/schemes/presets/coinbase'
import { withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/** Coinbase Commerce: hex HMAC-SHA256 of the body. No timestamp or id header to renew. */
export const coinbaseSigner = hmacSigner(coinbase, (draft, _context, mac) => {
  draft.headers = withHeader(draft.headers, 'X-CC-Webhook-Signature', mac())
})
