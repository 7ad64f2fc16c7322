/**
 * Plausible ways a body gets changed between the sender's MAC and the bytes we hold: a proxy or
 * framework re-serialising JSON, editors and HTTP libraries adding or dropping a final newline,
 * CRLF/LF conversion, unicode escaping. If the signature matches one of these, the diagnosis is
 * "the body was changed after signing" and we can say how.
 */
export interface BodyVariant {
  label: string
  body: Buffer
}

/**
 * `json: false` leaves out the JSON kinds (re-serialised, pretty-printed, \u escapes changed): parsing
 * and re-writing JSON costs ten times the other kinds (near-miss-search.ts bounds them by body size).
 */
export function bodyVariants(body: Buffer, { json: withJson = true }: { json?: boolean } = {}): BodyVariant[] {
  const variants: BodyVariant[] = []
  const add = (label: string, next: Buffer) => {
    if (!next.equals(body) && !variants.some((v) => v.body.equals(next))) variants.push({ label, body: next })
  }
  const text = body.toString('utf8')
  if (text.endsWith('\r\n')) add('without its trailing CRLF', body.subarray(0, body.length - 2))
  // SendGrid signs a trailing CRLF; a proxy that strips it breaks the signature.
  else add('with a trailing CRLF added', Buffer.concat([body, Buffer.from('\r\n')]))
  if (text.endsWith('\n')) add('without its trailing newline', body.subarray(0, body.length - 1))
  else add('with a trailing newline added', Buffer.concat([body, Buffer.from('\n')]))
  if (text.includes('\r\n')) add('with CRLF line endings turned into LF', Buffer.from(text.replace(/\r\n/g, '\n')))
  else if (text.includes('\n')) add('with LF line endings turned into CRLF', Buffer.from(text.replace(/\n/g, '\r\n')))
  if (text.trim() !== text) add('with surrounding whitespace trimmed', Buffer.from(text.trim()))
  const json = withJson ? parseJson(text) : undefined
  if (json !== undefined) {
    add('as compact re-serialised JSON', Buffer.from(JSON.stringify(json)))
    add('as pretty-printed JSON (2 spaces)', Buffer.from(JSON.stringify(json, null, 2)))
    add('as pretty-printed JSON (4 spaces)', Buffer.from(JSON.stringify(json, null, 4)))
    add('with non-ASCII characters written as \\u escapes', Buffer.from(escapeNonAscii(JSON.stringify(json))))
    add('with \\u escapes in its original text decoded', Buffer.from(unescapeUnicode(text)))
    add('with \\u escapes written in lower case', Buffer.from(text.replace(/\\u([0-9A-F]{4})/g, (_, h: string) => '\\u' + h.toLowerCase())))
    add('with \\u escapes written in upper case', Buffer.from(text.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => '\\u' + h.toUpperCase())))
  }
  return variants
}

function parseJson(text: string): unknown {
  const trimmed = text.trim()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined
  try {
    return JSON.parse(trimmed)
  } catch {
    return undefined
  }
}

function escapeNonAscii(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

function unescapeUnicode(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16))
    // Escapes that must stay escaped in JSON strings are kept.
    return char === '"' || char === '\\' || char < ' ' ? `\\u${hex}` : char
  })
}
