import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { afterPrefix, clip, parseFailure } from './preset-helpers'

const SHA256_HEADER = 'X-Hub-Signature-256'
const SHA1_HEADER = 'X-Hub-Signature'

/** GitHub's own delivery headers; without them a bare X-Hub-Signature may be Intercom or Meta. */
export function hasGitHubHeaders(request: VerifyRequest): boolean {
  return request.headers.some(([name]) => name.toLowerCase().startsWith('x-github-'))
}

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex>` HMAC-SHA256 of the body with the webhook secret as
 * typed. The legacy `X-Hub-Signature: sha1=<hex>` is used only when the SHA-256 header is absent.
 * X-GitHub-Delivery (kept on redelivery) is the delivery id. No timestamp.
 */
export const githubSpec: HmacSpec = {
  id: 'github',
  label: 'GitHub',
  detect: (request) => {
    const github = hasGitHubHeaders(request)
    if (hasHeader(request, SHA256_HEADER)) return github ? 1 : 0.8
    if (hasHeader(request, SHA1_HEADER)) return github ? 1 : 0.4
    // A GitHub delivery without a signature: a webhook configured without a secret.
    return github && hasHeader(request, 'X-GitHub-Event') ? 0.5 : 0
  },
  parse: parseGitHub,
  content: (request) => request.body,
  encoding: 'hex',
  secretDecoding: 'utf8',
  signedContentLabel: 'body'
}

function parseGitHub(request: VerifyRequest): HmacParse {
  const deliveryId = header(request, 'X-GitHub-Delivery')
  const sha256 = header(request, SHA256_HEADER)
  if (sha256 !== undefined) {
    const signature = afterPrefix(sha256.trim(), 'sha256=')
    if (!signature) return parseFailure('SIG_HEADER_MALFORMED', `${SHA256_HEADER} should start with "sha256="; found "${clip(sha256, 16)}".`)
    return { signatures: [signature], algorithm: 'sha256', deliveryId }
  }
  const sha1 = header(request, SHA1_HEADER)
  if (sha1 !== undefined) {
    const signature = afterPrefix(sha1.trim(), 'sha1=')
    if (!signature) return parseFailure('SIG_HEADER_MALFORMED', `${SHA1_HEADER} should start with "sha1="; found "${clip(sha1, 16)}".`)
    return {
      signatures: [signature],
      algorithm: 'sha1',
      deliveryId,
      steps: [{ label: 'Legacy signature', ok: true, detail: `only ${SHA1_HEADER} (HMAC-SHA1) is present; GitHub recommends ${SHA256_HEADER}` }]
    }
  }
  return parseFailure('SIG_HEADER_MISSING', `Missing header ${SHA256_HEADER} (and the legacy ${SHA1_HEADER}): was the webhook set up without a secret?`)
}

export const github = createHmacScheme(githubSpec)
