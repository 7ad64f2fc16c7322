import { gitlab } from '../../verify/schemes/presets/gitlab'
import { uuidFrom } from '../fresh-values'
import { withHeader, withHeaderIfPresent } from '../header-edit'
import { defineSigner } from '../signer-core'

/**
 * GitLab's secret token: X-Gitlab-Token carries the key's token itself (nothing to compute); the
 * delivery UUIDs and Idempotency-Key are renewed where present.
 */
export const gitlabSigner = defineSigner({
  scheme: gitlab,
  signsWith: ['secret'],
  write: (draft, { key, newId }) => {
    draft.headers = withHeader(draft.headers, 'X-Gitlab-Token', key.material.secret!)
    draft.headers = withHeaderIfPresent(draft.headers, 'X-Gitlab-Webhook-UUID', uuidFrom(newId, 'webhook'))
    draft.headers = withHeaderIfPresent(draft.headers, 'X-Gitlab-Event-UUID', uuidFrom(newId, 'event'))
    draft.headers = withHeaderIfPresent(draft.headers, 'Idempotency-Key', uuidFrom(newId, 'idempotency'))
    draft.notes.push('GitLab sends its secret token as is: the body is not covered.')
  }
})
