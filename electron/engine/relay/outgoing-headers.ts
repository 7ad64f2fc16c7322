import type { RawHeader } from '../../../shared/model/delivery'

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'trailer', 'proxy-connection'])

/** A hop-by-hop header (by lower-case name), `Proxy-*` included. */
export function isHopByHop(lowerName: string): boolean {
  return HOP_BY_HOP.has(lowerName) || lowerName.startsWith('proxy-')
}

/** Methods whose empty body needs no Content-Length (Node sends none for them either). */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'])

export interface OutgoingHeaderOptions {
  method: string
  /** `host[:port]` of the target, for the Host header. */
  targetHost: string
  preserveHost: boolean
  bodyLength: number
  /** Added at the end, after `remove` (names case-insensitive). */
  add?: readonly RawHeader[]
  remove?: readonly string[]
  /** X-Forwarded-For/-Proto/-Host; null leaves them alone (the sender sends as itself). */
  forwarded: { for: string; proto: 'http' | 'https'; host: string | null } | null
}

/**
 * The headers a forwarded request carries: the received ones in their order and case, minus
 * hop-by-hop headers (and any the Connection header names), with Host pointed at the target in
 * place (unless kept), Content-Length set to the body actually sent, and X-Forwarded-* added.
 */
export function outgoingHeaders(received: readonly RawHeader[], options: OutgoingHeaderOptions): RawHeader[] {
  const named = new Set<string>()
  for (const [name, value] of received) {
    if (name.toLowerCase() !== 'connection') continue
    for (const token of value.split(',')) if (token.trim()) named.add(token.trim().toLowerCase())
  }
  const removed = new Set((options.remove ?? []).map((name) => name.toLowerCase()))
  const headers: RawHeader[] = []
  let hasHost = false
  let hasLength = false
  for (const [name, value] of received) {
    const lower = name.toLowerCase()
    if (isHopByHop(lower) || named.has(lower) || removed.has(lower)) continue
    if (lower === 'host') {
      // One Host only: a duplicate would be a request smuggling vector downstream.
      if (hasHost) continue
      hasHost = true
      headers.push([name, options.preserveHost ? value : options.targetHost])
    } else if (lower === 'content-length') {
      if (hasLength) continue
      hasLength = true
      headers.push([name, String(options.bodyLength)])
    } else {
      headers.push([name, value])
    }
  }
  if (!hasHost) headers.unshift(['Host', options.targetHost])
  if (!hasLength && (options.bodyLength > 0 || !BODYLESS_METHODS.has(options.method.toUpperCase()))) {
    headers.push(['Content-Length', String(options.bodyLength)])
  }
  if (options.forwarded) addForwarded(headers, options.forwarded, removed)
  for (const header of options.add ?? []) headers.push([header[0], header[1]])
  return headers
}

function addForwarded(headers: RawHeader[], forwarded: NonNullable<OutgoingHeaderOptions['forwarded']>, removed: Set<string>): void {
  const index = (lower: string) => headers.findIndex(([name]) => name.toLowerCase() === lower)
  if (!removed.has('x-forwarded-for') && forwarded.for) {
    const at = index('x-forwarded-for')
    // An earlier proxy's list is kept and extended, as every proxy does.
    if (at === -1) headers.push(['X-Forwarded-For', forwarded.for])
    else headers[at] = [headers[at]![0], `${headers[at]![1]}, ${forwarded.for}`]
  }
  if (!removed.has('x-forwarded-proto') && index('x-forwarded-proto') === -1) headers.push(['X-Forwarded-Proto', forwarded.proto])
  if (!removed.has('x-forwarded-host') && forwarded.host !== null && index('x-forwarded-host') === -1) {
    headers.push(['X-Forwarded-Host', forwarded.host])
  }
}

/** First value of a header, by case-insensitive name. */
export function headerValue(headers: readonly RawHeader[], name: string): string | undefined {
  const lower = name.toLowerCase()
  return headers.find(([candidate]) => candidate.toLowerCase() === lower)?.[1]
}
