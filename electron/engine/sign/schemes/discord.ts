import { discord } from '../../verify/schemes/keyed/discord'
import { timestampAndBodySigner } from './timestamp-and-body'

/** Discord: hex Ed25519 over X-Signature-Timestamp + body. */
export const discordSigner = timestampAndBodySigner(
  discord,
  'X-Signature-Timestamp',
  'X-Signature-Ed25519',
  "Discord keeps the application's private key: only a key pair of your own (privateKey beside publicKey) can sign."
)
