import { mailgun } from '../../verify/schemes/presets/mailgun'
import { hexFrom, unixSeconds } from '../fresh-values'
import { headerValue } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'
import { parseJsonObject, reserialize } from '../json-edit'
import { signFailure } from '../sign-types'

/**
 * Mailgun: the signature block travels in the body ({"signature": {timestamp, token, signature}}
 * in JSON webhooks, top-level fields in form posts) and covers timestamp + token only. Both are
 * renewed (a 50-hex-character token, like Mailgun's) and the block is written back.
 */
export const mailgunSigner = hmacSigner(mailgun, (draft, { now, newId }, mac) => {
  const timestamp = String(unixSeconds(now))
  const token = hexFrom(newId, 50, 'mailgun-token')
  const signature = mac({ timestampRaw: timestamp, fields: { token } })
  const json = parseJsonObject(draft.body)
  if (json) {
    json.signature = { timestamp, token, signature }
    draft.body = reserialize(draft.body.toString('utf8'), json)
  } else if ((headerValue(draft.headers, 'Content-Type') ?? '').toLowerCase().includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(draft.body.toString('utf8'))
    form.set('timestamp', timestamp)
    form.set('token', token)
    form.set('signature', signature)
    draft.body = Buffer.from(form.toString(), 'utf8')
  } else {
    return signFailure('PAYLOAD_UNSUITABLE', 'Mailgun signatures travel in a JSON object body or form fields; this body is neither.')
  }
  draft.notes.push('Mailgun signs only the timestamp and token: the event data in the body is not covered.')
})
