import { discord } from '../../verify/schemes/keyed/discord'
import { unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { signatureSigner } from '../keyed/signature-signer'

/** Discord: hex Ed25519 over X-Signature-Timestamp + body. */
export const discordSigner = signatureSigner(
  discord,
  (draft, { now }, sign) => {
    const timestamp = String(unixSeconds(now))
    draft.headers = withHeader(draft.headers, 'X-Signature-Timestamp', timestamp)
    draft.headers = withHeader(draft.headers, 'X-Signature-Ed25519', sign({ timestampRaw: timestamp }))
  },
  "Discord keeps the application's private key: only a key pair of your own (privateKey beside publicKey) can sign."
)
