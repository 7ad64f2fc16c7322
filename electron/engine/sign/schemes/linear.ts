import { linear } from '../../verify/schemes/presets/linear'
import { uuidFrom } from '../fresh-values'
import { withHeader, withHeaderIfPresent } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'
import { withTopLevelNumber } from '../json-edit'
import { signFailure } from '../sign-types'

/**
 * Linear: hex HMAC-SHA256 of the body, whose `webhookTimestamp` (ms) is the freshness: it is set
 * to now in the body text itself before signing. A fresh Linear-Delivery UUID.
 */
export const linearSigner = hmacSigner(linear, (draft, { now, newId }, mac) => {
  const stamped = withTopLevelNumber(draft.body, 'webhookTimestamp', now)
  if (!stamped) return signFailure('PAYLOAD_UNSUITABLE', 'Linear signs a JSON object body carrying webhookTimestamp; this body is not a JSON object.')
  draft.body = stamped.body
  draft.notes.push(stamped.inPlace ? 'webhookTimestamp in the body set to now.' : 'webhookTimestamp set to now; the body was re-serialised to do it.')
  draft.headers = withHeader(draft.headers, 'Linear-Delivery', uuidFrom(newId))
  draft.headers = withHeaderIfPresent(draft.headers, 'Linear-Timestamp', String(now))
  draft.headers = withHeader(draft.headers, 'Linear-Signature', mac())
})
