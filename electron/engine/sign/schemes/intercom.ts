import { intercom } from '../../verify/schemes/presets/intercom'
import { withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

/** Intercom: `X-Hub-Signature: sha1=<hex>` of the body (no X-GitHub-* headers, or GitHub would claim it). */
export const intercomSigner = hmacSigner(intercom, (draft, _context, mac) => {
  draft.headers = withHeader(draft.headers, 'X-Hub-Signature', `sha1=${mac({ algorithm: 'sha1' })}`)
})
