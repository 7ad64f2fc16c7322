import type { Scheme } from '../scheme'
import { aes256Gcm } from './keyed/aes-256-gcm'
import { apiKey } from './keyed/api-key'
import { basicAuth } from './keyed/basic'
import { bearer } from './keyed/bearer'
import { discord } from './keyed/discord'
import { feishu } from './keyed/feishu'
import { jwe } from './keyed/jwe'
import { jwsScheme } from './keyed/jws'
import { sendgrid } from './keyed/sendgrid'
import { standardWebhooksV1a } from './keyed/standard-webhooks-v1a'
import { truelayer } from './keyed/truelayer'
import { wechatpay } from './keyed/wechatpay'

/**
 * Public-key, encrypted-payload, JOSE and credential schemes: one module each, listed here.
 * Provider schemes with their own headers come first; the generic token and credential schemes,
 * whose evidence is weaker (any JWS, any Authorization header), come last.
 */
export const keySchemes: Scheme[] = [standardWebhooksV1a, discord, sendgrid, wechatpay, truelayer, feishu, aes256Gcm, jwsScheme, jwe, bearer, basicAuth, apiKey]
