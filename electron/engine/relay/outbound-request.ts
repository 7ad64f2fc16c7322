import type { RawHeader } from '../../../shared/model/delivery'
import type { ForwardingRule } from '../../../shared/model/relay'
import type { OutboundRequest } from './forward-request'
import { headerValue, outgoingHeaders } from './outgoing-headers'
import { targetUrlFor } from './target-url'

/** What forwarding needs of a delivery, live (IncomingRequest) or stored. */
export interface ForwardableDelivery {
  endpointId: string
  method: string
  /** Request target as received. */
  url: string
  headers: RawHeader[]
  body: Buffer
  truncated: boolean
  remoteAddress: string
  /** Arrived over TLS (truthy), for X-Forwarded-Proto. */
  tls: unknown
  /** A tunnel's public URL, when it came through one (its scheme and host are what the sender used). */
  publicUrl?: string | null
}

export interface ForwardTarget {
  url: URL
  /** The rule's header edits and Host choice; none for a replay to an explicit URL. */
  rule: Pick<ForwardingRule, 'headers' | 'preserveHost'> | null
}

/** The request a rule (or a replay to a URL) sends for a delivery. */
export function outboundRequest(delivery: ForwardableDelivery, target: ForwardTarget, override?: { headers?: RawHeader[]; body?: Buffer }): OutboundRequest {
  const body = override?.body ?? delivery.body
  const received = override?.headers ?? delivery.headers
  const viaTunnel = delivery.publicUrl ? safeUrl(delivery.publicUrl) : null
  const headers = outgoingHeaders(received, {
    method: delivery.method,
    targetHost: target.url.host,
    preserveHost: target.rule?.preserveHost ?? false,
    bodyLength: body.length,
    add: target.rule?.headers.add,
    remove: target.rule?.headers.remove,
    forwarded: {
      for: delivery.remoteAddress,
      proto: viaTunnel ? (viaTunnel.protocol === 'https:' ? 'https' : 'http') : delivery.tls ? 'https' : 'http',
      host: viaTunnel?.host ?? headerValue(delivery.headers, 'host') ?? null
    }
  })
  return { url: target.url, method: delivery.method, headers, body }
}

/** The URL a rule sends a delivery to. */
export function ruleTarget(rule: ForwardingRule, requestTarget: string): ForwardTarget {
  return { url: targetUrlFor(rule.target, requestTarget, rule.pathRewrite), rule }
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text)
  } catch {
    return null
  }
}
