import { twitch } from '../../verify/schemes/presets/twitch'
import { rfc3339, uuidFrom } from '../fresh-values'
import { withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/** Twitch EventSub: `sha256=<hex>` over message id + RFC 3339 timestamp + body, both renewed. */
export const twitchSigner = hmacSigner(twitch, (draft, { now, newId }, mac) => {
  const id = uuidFrom(newId)
  const timestamp = rfc3339(now)
  draft.headers = withHeader(draft.headers, 'Twitch-Eventsub-Message-Id', id)
  draft.headers = withHeader(draft.headers, 'Twitch-Eventsub-Message-Timestamp', timestamp)
  draft.headers = withHeader(draft.headers, 'Twitch-Eventsub-Message-Signature', `sha256=${mac({ deliveryId: id, timestampRaw: timestamp })}`)
})
