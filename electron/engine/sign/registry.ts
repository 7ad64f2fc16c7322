import { allSchemes } from '../verify/registry'
import { adyenSigner } from './schemes/adyen'
import { aes256GcmSigner } from './schemes/aes-256-gcm'
import { boxSigner } from './schemes/box'
import { coinbaseSigner } from './schemes/coinbase'
import { apiKeySigner, basicSigner, bearerSigner } from './schemes/credentials'
import { discordSigner } from './schemes/discord'
import { feishuSigner } from './schemes/feishu'
import { genericHmacSigner, xSignatureSigner } from './schemes/generic-hmac'
import { githubSigner } from './schemes/github'
import { gitlabSigner } from './schemes/gitlab'
import { hubspotSigner } from './schemes/hubspot'
import { intercomSigner } from './schemes/intercom'
import { jweSigner } from './schemes/jwe'
import { jwsSigner } from './schemes/jws'
import { linearSigner } from './schemes/linear'
import { mailgunSigner } from './schemes/mailgun'
import { paddleSigner } from './schemes/paddle'
import { pagerdutySigner } from './schemes/pagerduty'
import { sendgridSigner } from './schemes/sendgrid'
import { shopifySigner } from './schemes/shopify'
import { slackSigner } from './schemes/slack'
import { squareSigner } from './schemes/square'
import { standardWebhooksSigner, svixSigner } from './schemes/standard-webhooks'
import { standardWebhooksV1aSigner } from './schemes/standard-webhooks-v1a'
import { stripeSigner } from './schemes/stripe'
import { truelayerSigner } from './schemes/truelayer'
import { twilioSigner } from './schemes/twilio'
import { twitchSigner } from './schemes/twitch'
import { wechatpaySigner } from './schemes/wechatpay'
import { zoomSigner } from './schemes/zoom'
import type { Signer, SigningCapability } from './sign-types'
import { defineSigner } from './signer-core'

/** One signer per verifier scheme that can sign; the verifier's registry is the list of schemes. */
const signers: readonly Signer[] = [
  standardWebhooksSigner,
  svixSigner,
  stripeSigner,
  githubSigner,
  shopifySigner,
  slackSigner,
  twilioSigner,
  squareSigner,
  paddleSigner,
  pagerdutySigner,
  linearSigner,
  zoomSigner,
  twitchSigner,
  hubspotSigner,
  boxSigner,
  coinbaseSigner,
  gitlabSigner,
  intercomSigner,
  adyenSigner,
  mailgunSigner,
  standardWebhooksV1aSigner,
  discordSigner,
  sendgridSigner,
  wechatpaySigner,
  truelayerSigner,
  feishuSigner,
  aes256GcmSigner,
  jwsSigner,
  jweSigner,
  bearerSigner,
  basicSigner,
  apiKeySigner,
  xSignatureSigner,
  genericHmacSigner
]

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
