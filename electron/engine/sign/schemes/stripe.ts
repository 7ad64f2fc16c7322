import { stripe } from '../../verify/schemes/presets/stripe'
import { unixSeconds } from '../fresh-values'
import { withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/**
 * Stripe: `Stripe-Signature: t=<now>,v1=<hex>`. The event id lives in the signed body, so it stays
 * (Stripe's libraries and Hookscope's duplicate check see a retry of the same event); legacy v0
 * entries are dropped.
 */
export const stripeSigner = hmacSigner(stripe, (draft, { now }, mac) => {
  const timestamp = String(unixSeconds(now))
  draft.headers = withHeader(draft.headers, 'Stripe-Signature', `t=${timestamp},v1=${mac({ timestampRaw: timestamp })}`)
  draft.notes.push('The event id is in the signed body and stays the same: a receiver that de-duplicates by it sees a retry.')
})
