import { slack } from '../../verify/schemes/presets/slack'
import { unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/** Slack: `v0=<hex>` over `v0:<timestamp>:<body>`, with a fresh X-Slack-Request-Timestamp. */
export const slackSigner = hmacSigner(slack, (draft, { now }, mac) => {
  const timestamp = String(unixSeconds(now))
  draft.headers = withHeader(draft.headers, 'X-Slack-Request-Timestamp', timestamp)
  draft.headers = withHeader(draft.headers, 'X-Slack-Signature', `v0=${mac({ timestampRaw: timestamp })}`)
})
