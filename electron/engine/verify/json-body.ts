/**
 * The largest body verification parses (JSON, a form) or decodes as text to find what a scheme
 * carries in it (Mailgun's signature block, an encrypted envelope, a JWS): larger bodies are judged
 * by their headers. Webhook payloads are far smaller; a body this size still costs a few
 * milliseconds to parse on the thread that verifies and writes the store.
 */
export const MAX_VERIFY_BODY_BYTES = 4 * 1024 * 1024

/**
 * The request body as JSON, parsed at most once per delivery: detection asks a dozen schemes
 * about the same body, and several of them look inside JSON (Mailgun, Adyen, Intercom, Feishu,
 * AES-GCM envelopes...). Bodies that cannot be a JSON object or array are refused by their first
 * byte, without a parse and without the cost of a thrown SyntaxError.
 */
const parsedBodies = new WeakMap<Buffer, unknown>()

export function jsonBody(body: Buffer): unknown {
  if (parsedBodies.has(body)) return parsedBodies.get(body)
  const parsed = parse(body)
  parsedBodies.set(body, parsed)
  return parsed
}

/** The body as a JSON object (not an array), or undefined. Callers must not modify it. */
export function jsonObjectBody(body: Buffer): Record<string, unknown> | undefined {
  const value = jsonBody(body)
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

function parse(body: Buffer): unknown {
  if (body.length === 0 || body.length > MAX_VERIFY_BODY_BYTES || !startsLikeJson(body)) return undefined
  try {
    return JSON.parse(body.toString('utf8')) as unknown
  } catch {
    return undefined
  }
}

/** Whether the body's first byte after leading whitespace opens a JSON object or array (only that byte is read). */
export function startsLikeJson(body: Buffer): boolean {
  let start = 0
  while (start < body.length && (body[start] === 0x20 || body[start] === 0x0a || body[start] === 0x0d || body[start] === 0x09)) start++
  return body[start] === 0x7b || body[start] === 0x5b
}
