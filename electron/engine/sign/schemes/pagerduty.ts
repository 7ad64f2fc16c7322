import { pagerduty } from '../../verify/schemes/presets/pagerduty'
import { withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/** PagerDuty: one `v1=<hex>` entry (the old list is replaced). No timestamp or id header to renew. */
export const pagerdutySigner = hmacSigner(pagerduty, (draft, _context, mac) => {
  draft.headers = withHeader(draft.headers, 'X-PagerDuty-Signature', `v1=${mac()}`)
})
