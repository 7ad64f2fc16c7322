import { shopify } from '../../verify/schemes/presets/shopify'
import { rfc3339, uuidFrom } from '../fresh-values'
import { withHeader, withHeaderIfPresent } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/** Shopify: base64 HMAC-SHA256 of the body; fresh X-Shopify-Webhook-Id (and Triggered-At when present). */
export const shopifySigner = hmacSigner(shopify, (draft, { now, newId }, mac) => {
  draft.headers = withHeader(draft.headers, 'X-Shopify-Webhook-Id', uuidFrom(newId))
  draft.headers = withHeaderIfPresent(draft.headers, 'X-Shopify-Triggered-At', rfc3339(now))
  draft.headers = withHeader(draft.headers, 'X-Shopify-Hmac-Sha256', mac())
})
