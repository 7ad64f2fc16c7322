import { createHash } from 'node:crypto'
import { twilio } from '../../verify/schemes/presets/twilio'
import { withHeader, withHeaderIfPresent } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'
import { signFailure } from '../sign-types'
import { asVerifyRequest } from '../signer-core'

const HEADER = 'X-Twilio-Signature'
const BODY_HASH = /([?&]bodySHA256=)[^&#]*/

function bodyHash(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex')
}

/**
 * Twilio: base64 HMAC-SHA1 with the auth token over the URL (+ sorted form parameters). A JSON
 * body travels as the bodySHA256 query parameter of the signed URL: it is recomputed there (and
 * added when missing, as Twilio does), so the URL the request goes to changes. With the key
 * option webhookUrl the signed URL is fixed, so an edited JSON body cannot be re-signed.
 */
export const twilioSigner = hmacSigner(twilio, (draft, { newId, options }, mac) => {
  draft.headers = withHeaderIfPresent(draft.headers, 'I-Twilio-Idempotency-Token', newId)
  const mode = () => {
    const parsed = twilio.spec.parse(asVerifyRequest({ ...draft, headers: withHeader(draft.headers, HEADER, 'pending') }), options)
    return 'failure' in parsed ? 'url' : parsed.fields!.mode!
  }
  const fixedUrl = typeof options.webhookUrl === 'string' ? options.webhookUrl : null
  let current = mode()
  if (current === 'url' && draft.body.length > 0 && !fixedUrl) {
    const at = draft.url.indexOf('#')
    const [base, fragment] = at < 0 ? [draft.url, ''] : [draft.url.slice(0, at), draft.url.slice(at)]
    draft.url = `${base}${base.includes('?') ? '&' : '?'}bodySHA256=${bodyHash(draft.body)}${fragment}`
    draft.notes.push('bodySHA256 added to the URL, as Twilio does for a body that is not a form.')
    current = mode()
  }
  if (current === 'json') {
    const hash = bodyHash(draft.body)
    if (fixedUrl) {
      if (!fixedUrl.includes(`bodySHA256=${hash}`)) {
        return signFailure(
          'PAYLOAD_UNSUITABLE',
          'The key option webhookUrl fixes bodySHA256, and this body has another SHA-256: remove the option to re-sign an edited body.'
        )
      }
    } else if (!draft.url.includes(`bodySHA256=${hash}`)) {
      draft.url = draft.url.replace(BODY_HASH, `$1${hash}`)
      draft.notes.push('bodySHA256 in the URL recomputed for this body.')
    }
  }
  draft.headers = withHeader(draft.headers, HEADER, mac({ algorithm: 'sha1', fields: { mode: current } }))
})
