import { detectableJson } from '../../detectable-body'
import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { hasGitHubHeaders } from './github'
import { afterPrefix, clip, jsonBody, parseFailure, stringAt } from './preset-helpers'

const HEADER = 'X-Hub-Signature'

/**
 * Intercom: `X-Hub-Signature: sha1=<hex>`, HMAC-SHA1 of the body with the app's client secret as
 * typed. The header name is GitHub's legacy one: with X-GitHub-* headers present the delivery is
 * GitHub's (score 0); otherwise Intercom scores just above GitHub (0.5 vs 0.4), and 0.9 when the
 * body is an Intercom `notification_event`. No timestamp.
 */
export const intercomSpec: HmacSpec = {
  id: 'intercom',
  label: 'Intercom',
  detect: (request) => {
    if (!hasHeader(request, HEADER) || hasGitHubHeaders(request) || hasHeader(request, 'X-Hub-Signature-256')) return 0
    return stringAt(detectableJson(request), ['type']) === 'notification_event' ? 0.9 : 0.5
  },
  parse: parseIntercom,
  content: (request) => request.body,
  encoding: 'hex',
  secretDecoding: 'utf8',
  signedContentLabel: 'body'
}

function parseIntercom(request: VerifyRequest): HmacParse {
  const raw = header(request, HEADER)
  if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER}.`)
  const signature = afterPrefix(raw.trim(), 'sha1=')
  if (!signature) return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} should start with "sha1="; found "${clip(raw, 16)}".`)
  return { signatures: [signature], algorithm: 'sha1', deliveryId: stringAt(jsonBody(request.body), ['id']) }
}

export const intercom = createHmacScheme(intercomSpec)
