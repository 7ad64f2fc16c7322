import type { Scheme } from '../scheme'

/** Provider HMAC presets (Stripe, GitHub, Shopify, ...): one module each, listed here. */
export const hmacPresets: Scheme[] = []
