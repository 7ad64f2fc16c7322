import { sendgrid } from '../../verify/schemes/keyed/sendgrid'
import { unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { signatureSigner } from '../keyed/signature-signer'

/** SendGrid Event Webhook: base64 DER ECDSA P-256/SHA-256 over the timestamp header + body. */
export const sendgridSigner = signatureSigner(
  sendgrid,
  (draft, { now }, sign) => {
    const timestamp = String(unixSeconds(now))
    draft.headers = withHeader(draft.headers, 'X-Twilio-Email-Event-Webhook-Timestamp', timestamp)
    draft.headers = withHeader(draft.headers, 'X-Twilio-Email-Event-Webhook-Signature', sign({ timestampRaw: timestamp }))
  },
  'SendGrid keeps the signing key: only a P-256 key pair of your own (privateKey beside publicKey) can sign.'
)
