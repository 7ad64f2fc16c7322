import { parseCompactJws } from '../../verify/schemes/keyed/jose-common'
import { signedHeaderNames, truelayer, options as truelayerOptions, truelayerPayload } from '../../verify/schemes/keyed/truelayer'
import { rfc3339 } from '../fresh-values'
import { headerValue, withHeader } from '../header-edit'
import { chooseAlg, signCompactJws } from '../keyed/compact-jws'
import { joseSigner } from '../keyed/jose-signer'
import { signFailure } from '../sign-types'
import { asVerifyRequest } from '../signer-core'

const SIGNATURE = 'Tl-Signature'
const TIMESTAMP = 'X-Tl-Webhook-Timestamp'

/**
 * TrueLayer request signing v2: a detached JWS (ES512 by default) over `METHOD path\n`, the
 * listed headers and the body. The signed header list is the original's (or the key's required
 * headers); X-Tl-Webhook-Timestamp is renewed and signed when present.
 */
export const truelayerSigner = joseSigner(
  truelayer,
  'Tl-Signature',
  'TrueLayer signs with its own private key: only a key pair of your own can sign.',
  (draft, { now, options }, found) => {
    const o = truelayerOptions.read(options)
    const existing = parseCompactJws(headerValue(draft.headers, SIGNATURE) ?? '')
    const names = existing ? signedHeaderNames(existing) : [...o.requiredHeaders]
    if (headerValue(draft.headers, TIMESTAMP) !== undefined || names.some((name) => name.toLowerCase() === TIMESTAMP.toLowerCase())) {
      draft.headers = withHeader(draft.headers, TIMESTAMP, rfc3339(now))
      if (!names.some((name) => name.toLowerCase() === TIMESTAMP.toLowerCase())) names.push(TIMESTAMP)
    }
    const alg = chooseAlg(found.key, existing?.protectedHeader.alg ?? 'ES512', o.algorithms)
    if (!alg) return signFailure('SCHEME_CANNOT_SIGN', `None of the algorithms the key allows (${o.algorithms.join(', ')}) fits its private key.`)
    const path = new URL(draft.url).pathname
    const payload = truelayerPayload(draft.method, path, names, asVerifyRequest(draft), draft.body)
    const header = { alg, ...(found.kid ? { kid: found.kid } : {}), tl_version: '2', tl_headers: names.join(',') }
    draft.headers = withHeader(draft.headers, SIGNATURE, signCompactJws(header, payload, found.key, true))
  }
)
