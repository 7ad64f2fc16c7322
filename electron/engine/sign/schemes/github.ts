import { github } from '../../verify/schemes/presets/github'
import { uuidFrom } from '../fresh-values'
import { headerValue, withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'

const SHA256 = 'X-Hub-Signature-256'
const SHA1 = 'X-Hub-Signature'

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex>` over the body, and the legacy `X-Hub-Signature:
 * sha1=<hex>` re-signed too when the request carries it (alone, it stays alone: a legacy sender
 * is reproduced as one). A fresh X-GitHub-Delivery UUID.
 */
export const githubSigner = hmacSigner(github, (draft, { newId }, mac) => {
  const legacyOnly = headerValue(draft.headers, SHA1) !== undefined && headerValue(draft.headers, SHA256) === undefined
  if (headerValue(draft.headers, 'X-GitHub-Delivery') !== undefined || !legacyOnly) {
    draft.headers = withHeader(draft.headers, 'X-GitHub-Delivery', uuidFrom(newId))
  }
  if (!legacyOnly) draft.headers = withHeader(draft.headers, SHA256, `sha256=${mac({ algorithm: 'sha256' })}`)
  if (headerValue(draft.headers, SHA1) !== undefined) {
    draft.headers = withHeader(draft.headers, SHA1, `sha1=${mac({ algorithm: 'sha1' })}`)
    if (legacyOnly) draft.notes.push(`Signed with the legacy ${SHA1} (HMAC-SHA1) only, as the original was.`)
  }
})
