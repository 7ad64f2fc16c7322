import { adyen, adyenSignedFields, notificationItems } from '../../verify/schemes/presets/adyen'
import { headerValue, withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'
import { parseJsonObject, reserialize } from '../json-edit'
import { signFailure } from '../sign-types'

const HEADER = 'HmacSignature'

/**
 * Adyen: in header mode the HmacSignature header over the raw body; in notification mode every
 * NotificationRequestItem gets its own additionalData.hmacSignature over its 8 fields (the JSON
 * is re-serialised with its own indentation). Adyen signs no timestamp or id.
 */
export const adyenSigner = hmacSigner(adyen, (draft, { options }, mac) => {
  const headerMode =
    options.mode === 'header' || (options.mode !== 'notification' && (headerValue(draft.headers, HEADER) !== undefined || !notificationItems(draft.body)))
  if (headerMode) {
    draft.headers = withHeader(draft.headers, HEADER, mac({ fields: { mode: 'header' } }))
  } else {
    const json = notificationItems(draft.body) ? parseJsonObject(draft.body) : null
    if (!json)
      return signFailure(
        'PAYLOAD_UNSUITABLE',
        'The key option mode is "notification", but the body is not an Adyen notification (JSON with notificationItems).'
      )
    for (const entry of json.notificationItems as { NotificationRequestItem?: Record<string, unknown> }[]) {
      const item = entry?.NotificationRequestItem
      if (!item || typeof item !== 'object') continue
      const additional = typeof item.additionalData === 'object' && item.additionalData !== null ? (item.additionalData as Record<string, unknown>) : {}
      item.additionalData = { ...additional, hmacSignature: mac({ fields: { mode: 'notification', signed: adyenSignedFields(item) } }) }
    }
    draft.body = reserialize(draft.body.toString('utf8'), json)
  }
  draft.notes.push('Adyen signatures carry no timestamp or id: the receiver cannot tell this from the original.')
})
