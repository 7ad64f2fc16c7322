import { headersAsText } from '../../../shared/lib/header-text'
import type { Delivery } from '../../../shared/model/delivery'
import type { StoredDelivery } from '../store/stored-delivery'
import { expandVerdict } from '../verify/compact-verdict'

/** A stored delivery as the API sends it: bytes as base64, header values as text (header-text.ts). */
export function toWireDelivery(stored: StoredDelivery): Delivery {
  const { body, headers, trailers, response, verdictDetail, ...rest } = stored
  const headerText = headersAsText(headers)
  const trailerText = headersAsText(trailers)
  return {
    ...rest,
    headers: headerText.headers,
    latin1Headers: headerText.latin1,
    trailers: trailerText.headers,
    latin1Trailers: trailerText.latin1,
    bodyBase64: body.toString('base64'),
    verdictDetail: verdictDetail && expandVerdict(verdictDetail, body),
    response: { headers: headersAsText(response.headers).headers, bodyBase64: response.body.toString('base64'), bodyTruncated: response.bodyTruncated }
  }
}
