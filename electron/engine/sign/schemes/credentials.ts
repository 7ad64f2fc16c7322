import { apiKey, options as apiKeyOptions } from '../../verify/schemes/keyed/api-key'
import { basicAuth } from '../../verify/schemes/keyed/basic'
import { bearer, options as bearerOptions } from '../../verify/schemes/keyed/bearer'
import { parseCompactJws } from '../../verify/schemes/keyed/jose-common'
import { unixSeconds } from '../fresh-values'
import { headerValue, withHeader } from '../header-edit'
import { chooseAlg, joseSigningKey, jsonPayload, renewClaims, reusableHeader, signCompactJws } from '../keyed/compact-jws'
import { signFailure } from '../sign-types'
import { defineSigner } from '../signer-core'

/** A static API key in its header, after the key's prefix when it has one. */
export const apiKeySigner = defineSigner({
  scheme: apiKey,
  signsWith: ['secret'],
  write: (draft, { key, options }) => {
    const o = apiKeyOptions.read(options)
    const prefix = o.prefix ? (o.prefix.endsWith(' ') ? o.prefix : `${o.prefix} `) : ''
    draft.headers = withHeader(draft.headers, o.header, `${prefix}${key.material.secret!}`)
    draft.notes.push('An API key is a fixed credential: nothing about the request is signed.')
  }
})

/** HTTP Basic: `Authorization: Basic base64(client_id:client_secret)`. */
export const basicSigner = defineSigner({
  scheme: basicAuth,
  signsWith: ['secret'],
  write: (draft, { key }) => {
    draft.headers = withHeader(draft.headers, 'Authorization', `Basic ${Buffer.from(key.material.secret!, 'utf8').toString('base64')}`)
    draft.notes.push('Basic credentials are fixed: nothing about the request is signed.')
  }
})

/**
 * A bearer token: the key's fixed token, or, with a private key, a fresh JWT (the original token's
 * claims renewed, or iat/exp/jti plus the key's issuer and audience).
 */
export const bearerSigner = defineSigner({
  scheme: bearer,
  signsWith: ['secret', 'privateKey'],
  limits: "A bearer JWT is minted with the issuer's private key: only a key pair of your own can mint one; a fixed token (secret) is always re-sent as is.",
  check: (key) => {
    if (!key.material.privateKey) return null
    const found = joseSigningKey(key, 'a bearer JWT')
    return 'ok' in found ? found : null
  },
  write: (draft, { key, now, newId, options }) => {
    const o = bearerOptions.read(options)
    const authorization = o.header.toLowerCase() === 'authorization'
    const put = (token: string) => {
      draft.headers = withHeader(draft.headers, o.header, authorization ? `Bearer ${token}` : token)
    }
    if (!key.material.privateKey) {
      put(key.material.secret!)
      draft.notes.push('A fixed bearer token: nothing about the request is signed.')
      return
    }
    const found = joseSigningKey(key, 'a bearer JWT')
    if ('ok' in found) return found
    const current = headerValue(draft.headers, o.header)
      ?.trim()
      .replace(/^Bearer\s+/i, '')
    const existing = current ? parseCompactJws(current) : null
    const alg = chooseAlg(found.key, existing?.protectedHeader.alg, o.algorithms)
    if (!alg) return signFailure('SCHEME_CANNOT_SIGN', 'No algorithm the key allows fits its private key.')
    const nowSec = unixSeconds(now)
    const previous = existing && existing.payload.length > 0 ? jsonPayload(Buffer.from(existing.payload, 'base64url')) : null
    const claims = previous
      ? renewClaims(previous, nowSec, newId)
      : { iat: nowSec, exp: nowSec + 300, jti: newId, ...(o.issuer ? { iss: o.issuer } : {}), ...(o.audience ? { aud: o.audience } : {}) }
    put(
      signCompactJws(
        { ...reusableHeader(existing?.protectedHeader), alg, typ: 'JWT', ...(found.kid ? { kid: found.kid } : {}) },
        Buffer.from(JSON.stringify(claims), 'utf8'),
        found.key
      )
    )
    draft.notes.push(previous ? 'Bearer JWT re-minted with its claims renewed.' : 'A fresh bearer JWT, valid for 5 minutes.')
  }
})
