import { sendgrid } from '../../verify/schemes/keyed/sendgrid'
import { timestampAndBodySigner } from './timestamp-and-body'

/** SendGrid Event Webhook: base64 DER ECDSA P-256/SHA-256 over the timestamp header + body. */
export const sendgridSigner = timestampAndBodySigner(
  sendgrid,
  'X-Twilio-Email-Event-Webhook-Timestamp',
  'X-Twilio-Email-Event-Webhook-Signature',
  'SendGrid keeps the signing key: only a P-256 key pair of your own (privateKey beside publicKey) can sign.'
)
