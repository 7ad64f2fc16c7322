import { parseCompactJws } from '../../verify/schemes/keyed/jose-common'
import { options as jwsOptions, jwsScheme } from '../../verify/schemes/keyed/jws'
import { unixSeconds } from '../fresh-values'
import { headerValue, withHeader } from '../header-edit'
import { parseJsonObject, reserialize } from '../json-edit'
import { chooseAlg, jsonPayload, renewClaims, reusableHeader, signCompactJws } from '../keyed/compact-jws'
import { joseSigner } from '../keyed/jose-signer'
import { signFailure } from '../sign-types'

/**
 * A JWS signed by the sender, wherever the key's options say it travels: a header (detached over
 * the body when it was detached or absent), a JSON field of the body, or the whole body (a body
 * that is not a JWS becomes the payload). The payload's iat/exp/nbf/jti are renewed.
 */
export const jwsSigner = joseSigner(
  jwsScheme,
  'a JWS',
  "A JWS is signed with the sender's private key: only a key pair of your own can sign (Apple and other x5c-chained senders cannot be imitated).",
  (draft, { now, newId, options }, found) => {
    const o = jwsOptions.read(options)
    const json = o.field || !o.header ? parseJsonObject(draft.body) : null
    const fieldName =
      o.field ??
      (json && !parseCompactJws(draft.body.toString('utf8'))
        ? Object.keys(json).find((name) => typeof json[name] === 'string' && parseCompactJws(json[name] as string))
        : undefined)
    const existingText = o.header
      ? headerValue(draft.headers, o.header)
          ?.trim()
          .replace(/^Bearer\s+/i, '')
      : fieldName
        ? (json?.[fieldName] as string | undefined)
        : draft.body.toString('utf8')
    const existing = existingText ? parseCompactJws(existingText) : null
    if (o.field && !existing) return signFailure('PAYLOAD_UNSUITABLE', `The body has no JWS in the field "${o.field}" to re-sign.`)
    const alg = chooseAlg(found.key, existing?.protectedHeader.alg, o.algorithms)
    if (!alg) return signFailure('SCHEME_CANNOT_SIGN', `No algorithm the key allows (${(o.algorithms ?? []).join(', ')}) fits its private key.`)
    const protectedHeader = { ...reusableHeader(existing?.protectedHeader), alg, ...(found.kid ? { kid: found.kid } : {}) }
    const detached = o.header !== undefined && (!existing || existing.payload.length === 0)
    let payload = detached || !existing ? draft.body : Buffer.from(existing.payload, 'base64url')
    const claims = detached ? null : jsonPayload(payload)
    if (claims && existing) payload = Buffer.from(JSON.stringify(renewClaims(claims, unixSeconds(now), newId)), 'utf8')
    const token = signCompactJws(protectedHeader, payload, found.key, detached)
    if (o.header) draft.headers = withHeader(draft.headers, o.header, token)
    else if (fieldName && json) {
      json[fieldName] = token
      draft.body = reserialize(draft.body.toString('utf8'), json)
    } else draft.body = Buffer.from(token, 'utf8')
    if (claims && existing) draft.notes.push('Token claims renewed: iat now, exp/nbf moved with it, a fresh jti when there was one.')
    if (existing?.protectedHeader.x5c !== undefined)
      draft.notes.push('The x5c chain of the original token was dropped: the new token is signed by this key alone.')
  }
)
