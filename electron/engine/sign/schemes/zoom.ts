import { zoom } from '../../verify/schemes/presets/zoom'
import { unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/** Zoom: `v0=<hex>` over `v0:<x-zm-request-timestamp>:<body>`. */
export const zoomSigner = hmacSigner(zoom, (draft, { now }, mac) => {
  const timestamp = String(unixSeconds(now))
  draft.headers = withHeader(draft.headers, 'x-zm-request-timestamp', timestamp)
  draft.headers = withHeader(draft.headers, 'x-zm-signature', `v0=${mac({ timestampRaw: timestamp })}`)
})
