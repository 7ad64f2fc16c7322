import { standardWebhooks, svix } from '../../verify/schemes/standard-webhooks'
import { unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/**
 * Standard Webhooks v1 and Svix: a fresh `msg_` id and timestamp, and one `v1,<base64>` entry
 * (older entries, v1a ones included, are dropped: this key cannot vouch for them).
 */
function standardSigner(scheme: typeof standardWebhooks, prefix: 'webhook' | 'svix') {
  return hmacSigner(scheme, (draft, { now, newId }, mac) => {
    const id = `msg_${newId}`
    const timestamp = String(unixSeconds(now))
    draft.headers = withHeader(withHeader(draft.headers, `${prefix}-id`, id), `${prefix}-timestamp`, timestamp)
    draft.headers = withHeader(draft.headers, `${prefix}-signature`, `v1,${mac({ deliveryId: id, timestampRaw: timestamp })}`)
  })
}

export const standardWebhooksSigner = standardSigner(standardWebhooks, 'webhook')
export const svixSigner = standardSigner(svix, 'svix')
