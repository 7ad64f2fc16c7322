import { allSchemes } from '../verify/registry'
import { genericHmacSigner, xSignatureSigner } from './schemes/generic-hmac'
import { githubSigner } from './schemes/github'
import { standardWebhooksSigner, svixSigner } from './schemes/standard-webhooks'
import { stripeSigner } from './schemes/stripe'
import { defineSigner } from './signer-core'
import type { Signer, SigningCapability } from './sign-types'

/** One signer per verifier scheme that can sign; the verifier's registry is the list of schemes. */
const signers: readonly Signer[] = [standardWebhooksSigner, svixSigner, stripeSigner, githubSigner, xSignatureSigner, genericHmacSigner]

const byId = new Map(signers.map((signer) => [signer.scheme, signer]))

/** Schemes the verifier knows but nothing signs: every key is refused, with the reason. */
function unsignable(id: string): Signer | undefined {
  const scheme = allSchemes.find((candidate) => candidate.id === id)
  if (!scheme) return undefined
  return defineSigner({ scheme, signsWith: [], limits: `Hookscope does not re-sign ${scheme.label} deliveries.`, write: () => undefined })
}

export function signerFor(schemeId: string): Signer | undefined {
  return byId.get(schemeId) ?? unsignable(schemeId)
}

/** Every verifier scheme with what lets a key of it sign, in the verifier's order (for the UI). */
export function signingCapabilities(): SigningCapability[] {
  return allSchemes.map((scheme) => {
    const signer = signerFor(scheme.id)!
    return { scheme: scheme.id, label: scheme.label, signsWith: [...signer.signsWith], limits: signer.limits }
  })
}
