import type { Scheme } from '../../verify/scheme'
import type { SignatureSpec } from '../../verify/schemes/keyed/signature-core'
import { unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { signatureSigner } from '../keyed/signature-signer'

/** The public-key schemes that sign a timestamp header + the body (Discord, SendGrid): fresh timestamp, new signature. */
export function timestampAndBodySigner<O>(scheme: Scheme & { spec: SignatureSpec<O> }, timestampHeader: string, signatureHeader: string, limits: string) {
  return signatureSigner(
    scheme,
    (draft, { now }, sign) => {
      const timestamp = String(unixSeconds(now))
      draft.headers = withHeader(draft.headers, timestampHeader, timestamp)
      draft.headers = withHeader(draft.headers, signatureHeader, sign({ timestampRaw: timestamp }))
    },
    limits
  )
}
