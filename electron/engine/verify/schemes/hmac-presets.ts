import type { Scheme } from '../scheme'
import { adyen } from './presets/adyen'
import { box } from './presets/box'
import { coinbase } from './presets/coinbase'
import { github } from './presets/github'
import { gitlab } from './presets/gitlab'
import { hubspot } from './presets/hubspot'
import { intercom } from './presets/intercom'
import { linear } from './presets/linear'
import { mailgun } from './presets/mailgun'
import { paddle } from './presets/paddle'
import { pagerduty } from './presets/pagerduty'
import { shopify } from './presets/shopify'
import { slack } from './presets/slack'
import { square } from './presets/square'
import { stripe } from './presets/stripe'
import { twilio } from './presets/twilio'
import { twitch } from './presets/twitch'
import { zoom } from './presets/zoom'

/**
 * Provider HMAC presets (Stripe, GitHub, Shopify, ...): one module each, listed here. Header-detected
 * presets first; GitHub before Intercom (they share X-Hub-Signature); the body-detected ones
 * (Adyen notifications, Mailgun) last. HubSpot v1/v2 and GitLab are not HMACs but live here too.
 */
export const hmacPresets: Scheme[] = [
  stripe,
  github,
  shopify,
  slack,
  twilio,
  square,
  paddle,
  pagerduty,
  linear,
  zoom,
  twitch,
  hubspot,
  box,
  coinbase,
  gitlab,
  intercom,
  adyen,
  mailgun
]
