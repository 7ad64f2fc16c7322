import { isUtf8 } from 'node:buffer'
import { headersAsText } from '../../../shared/lib/header-text'
import { absoluteUrl } from '../../../shared/lib/request-url'
import type { RawHeader, RequestSource } from '../../../shared/model/delivery'
import type { TlsFacts } from '../../../shared/model/tls'
import type { NdjsonAttempt } from '../relay/attempt-export'
import type { StoredDelivery } from '../store/stored-delivery'

/** NDJSON export line. Field names are a public format (README): add, never rename. */
export interface NdjsonDelivery {
  id: string
  endpoint: string
  receivedAt: number
  method: string
  url: string
  httpVersion: string
  /** Values as text; the ones listed in `latin1Headers` are not UTF-8, one character per byte. */
  headers: RawHeader[]
  latin1Headers: number[]
  trailers: RawHeader[]
  latin1Trailers: number[]
  bodyBase64: string
  bodySize: number
  truncated: boolean
  remoteAddress: string
  remotePort: number
  responseStatus: number
  /** The rest of the answer the sender got (its body capped). */
  response: { headers: RawHeader[]; bodyBase64: string; bodyTruncated: boolean }
  /** TLS version, cipher, SNI, ALPN, client certificate and its verification; null over plain HTTP. */
  tls: TlsFacts | null
  /** `{kind: "listener"}`, or `{kind: "tunnel", provider, publicUrl, reserialized, deliveryId?}`. */
  source: RequestSource
}

/** An NDJSON export line: the delivery, then its attempts. */
export type NdjsonLine = NdjsonDelivery & { attempts: NdjsonAttempt[] }

export function toNdjson(delivery: StoredDelivery): NdjsonDelivery {
  const headers = headersAsText(delivery.headers)
  const trailers = headersAsText(delivery.trailers)
  return {
    id: delivery.id,
    endpoint: delivery.endpointId,
    receivedAt: delivery.receivedAt,
    method: delivery.method,
    url: absoluteUrl(delivery),
    httpVersion: delivery.httpVersion,
    headers: headers.headers,
    latin1Headers: headers.latin1,
    trailers: trailers.headers,
    latin1Trailers: trailers.latin1,
    bodyBase64: delivery.body.toString('base64'),
    bodySize: delivery.bodySize,
    truncated: delivery.truncated,
    remoteAddress: delivery.remoteAddress,
    remotePort: delivery.remotePort,
    responseStatus: delivery.responseStatus,
    response: {
      headers: headersAsText(delivery.response.headers).headers,
      bodyBase64: delivery.response.body.toString('base64'),
      bodyTruncated: delivery.response.bodyTruncated
    },
    tls: delivery.tls,
    source: delivery.source
  }
}

/**
 * A HAR 1.2 entry. The request is the delivery; Hookscope's own answer is summarised in
 * `response`. HAR has no encoding field for request bodies, so a non-UTF-8 body is written as
 * base64 text with `_encoding: "base64"` (the convention of HAR extensions), and Hookscope's
 * extras go in `_hookscope`, as the spec allows for custom fields.
 */
export function toHarEntry(delivery: StoredDelivery) {
  const url = absoluteUrl(delivery)
  const text = isUtf8(delivery.body)
  const mimeType = delivery.contentType ?? ''
  return {
    startedDateTime: new Date(delivery.receivedAt).toISOString(),
    time: delivery.durationMs,
    request: {
      method: delivery.method,
      url,
      httpVersion: `HTTP/${delivery.httpVersion}`,
      cookies: [],
      headers: headersAsText(delivery.headers).headers.map(([name, value]) => ({ name, value })),
      queryString: queryString(url),
      ...(delivery.body.length > 0 || delivery.bodySize > 0
        ? {
            postData: text ? { mimeType, text: delivery.body.toString('utf8') } : { mimeType, text: delivery.body.toString('base64'), _encoding: 'base64' }
          }
        : {}),
      headersSize: -1,
      bodySize: delivery.bodySize
    },
    response: {
      status: delivery.responseStatus,
      statusText: '',
      httpVersion: `HTTP/${delivery.httpVersion}`,
      cookies: [],
      headers: headersAsText(delivery.response.headers).headers.map(([name, value]) => ({ name, value })),
      content: harContent(delivery.response.headers, delivery.response.body),
      redirectURL: '',
      headersSize: -1,
      bodySize: -1
    },
    cache: {},
    timings: { send: delivery.durationMs, wait: 0, receive: 0 },
    _hookscope: {
      id: delivery.id,
      endpoint: delivery.endpointId,
      truncated: delivery.truncated,
      remoteAddress: delivery.remoteAddress,
      remotePort: delivery.remotePort,
      source: delivery.source,
      // HAR has no place for trailer fields.
      trailers: headersAsText(delivery.trailers).headers.map(([name, value]) => ({ name, value }))
    }
  }
}

function harContent(headers: readonly RawHeader[], body: Buffer) {
  const mimeType = headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? ''
  if (body.length === 0) return { size: 0, mimeType }
  return isUtf8(body)
    ? { size: body.length, mimeType, text: body.toString('utf8') }
    : { size: body.length, mimeType, text: body.toString('base64'), encoding: 'base64' }
}

export function harHeader(version: string): string {
  return `{"log":{"version":"1.2","creator":{"name":"Hookscope","version":${JSON.stringify(version)}},"entries":[`
}

export const HAR_FOOTER = ']}}\n'

export type ExportFormat = 'ndjson' | 'har'

/**
 * A whole export as text chunks, one delivery per chunk (and per line: JSON.stringify escapes
 * every newline inside a value, so a reader can count deliveries by counting line breaks, HAR
 * included). Lazy: rows are read as the consumer asks for chunks.
 */
export function* exportChunks(
  format: ExportFormat,
  version: string,
  rows: Iterable<StoredDelivery>,
  /** Called after each delivery's chunk was taken, with the number so far. */
  onDelivery: (count: number) => void = () => {},
  /** NDJSON lines carry the delivery's relay attempts and replays (relay/attempt-export.ts). */
  attemptsOf: (deliveryId: string) => NdjsonAttempt[] = () => []
): Generator<string> {
  let count = 0
  if (format === 'har') yield harHeader(version) + '\n'
  for (const delivery of rows) {
    if (format === 'ndjson') yield JSON.stringify({ ...toNdjson(delivery), attempts: attemptsOf(delivery.id) } satisfies NdjsonLine) + '\n'
    else yield (count === 0 ? '' : ',') + JSON.stringify(toHarEntry(delivery)) + '\n'
    onDelivery(++count)
  }
  if (format === 'har') yield HAR_FOOTER
}

function queryString(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }))
  } catch {
    return []
  }
}
