import { paddle } from '../../verify/schemes/presets/paddle'
import { unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/** Paddle: `Paddle-Signature: ts=<now>;h1=<hex>`; the notification id is in the signed body and stays. */
export const paddleSigner = hmacSigner(paddle, (draft, { now }, mac) => {
  const timestamp = String(unixSeconds(now))
  draft.headers = withHeader(draft.headers, 'Paddle-Signature', `ts=${timestamp};h1=${mac({ timestampRaw: timestamp })}`)
  draft.notes.push("Paddle's SDK accepts a signature for 5 seconds only: send it at once.")
})
