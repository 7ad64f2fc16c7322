import type { KeyObject } from 'node:crypto'
import type { Scheme } from '../../verify/scheme'
import type { Signer, SignFailure } from '../sign-types'
import { type Draft, defineSigner, type SignContext } from '../signer-core'
import { joseSigningKey } from './compact-jws'

/** A JOSE signer (JWS, TrueLayer): the entry's private key, checked against its public key or JWKS, and the kid to name. */
export function joseSigner(
  scheme: Scheme,
  what: string,
  limits: string,
  write: (draft: Draft, context: SignContext, signing: { key: KeyObject; kid?: string }) => SignFailure | undefined
): Signer {
  return defineSigner({
    scheme,
    signsWith: ['privateKey'],
    limits,
    check: (key) => {
      const found = joseSigningKey(key, what)
      return 'ok' in found ? found : null
    },
    write: (draft, context) => {
      const found = joseSigningKey(context.key, what)
      return 'ok' in found ? found : write(draft, context, found)
    }
  })
}
