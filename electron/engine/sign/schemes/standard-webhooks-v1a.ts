import { standardWebhooksV1a } from '../../verify/schemes/keyed/standard-webhooks-v1a'
import { unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { signatureSigner } from '../keyed/signature-signer'

/** Standard Webhooks v1a: Ed25519 `v1a,<base64>` over `id.timestamp.body`, with a fresh id and timestamp. */
export const standardWebhooksV1aSigner = signatureSigner(
  standardWebhooksV1a,
  (draft, { now, newId }, sign) => {
    const id = `msg_${newId}`
    const timestamp = String(unixSeconds(now))
    draft.headers = withHeader(withHeader(draft.headers, 'webhook-id', id), 'webhook-timestamp', timestamp)
    draft.headers = withHeader(draft.headers, 'webhook-signature', `v1a,${sign({ deliveryId: id, timestampRaw: timestamp })}`)
  },
  'v1a signs with the Ed25519 private key (whsk_, PEM or JWK), which only the sender holds: add it as privateKey beside the whpk_ public key.'
)
