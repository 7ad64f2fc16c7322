import { isUtf8 } from 'node:buffer'
import type { DeliverySummary, RawHeader } from '../../../shared/model/delivery'
import type { TlsFacts } from '../../../shared/model/tls'

export type StoredDelivery = DeliverySummary & { headers: RawHeader[]; body: Buffer; tls?: TlsFacts | null }

/** NDJSON export line. Field names are a public format (README): add, never rename. */
export interface NdjsonDelivery {
  id: string
  endpoint: string
  receivedAt: number
  method: string
  url: string
  httpVersion: string
  headers: RawHeader[]
  bodyBase64: string
  bodySize: number
  truncated: boolean
  remoteAddress: string
  remotePort: number
  responseStatus: number
  /** TLS version, cipher, SNI, ALPN, client certificate and its verification; null over plain HTTP. */
  tls: TlsFacts | null
}

export function toNdjson(delivery: StoredDelivery): NdjsonDelivery {
  return {
    id: delivery.id,
    endpoint: delivery.endpointId,
    receivedAt: delivery.receivedAt,
    method: delivery.method,
    url: absoluteUrl(delivery),
    httpVersion: delivery.httpVersion,
    headers: delivery.headers,
    bodyBase64: delivery.body.toString('base64'),
    bodySize: delivery.bodySize,
    truncated: delivery.truncated,
    remoteAddress: delivery.remoteAddress,
    remotePort: delivery.remotePort,
    responseStatus: delivery.responseStatus,
    tls: delivery.tls ?? null
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
      headers: delivery.headers.map(([name, value]) => ({ name, value })),
      queryString: queryString(url),
      ...(delivery.body.length > 0 || delivery.bodySize > 0
        ? {
            postData: text
              ? { mimeType, text: delivery.body.toString('utf8') }
              : { mimeType, text: delivery.body.toString('base64'), _encoding: 'base64' }
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
      headers: [],
      content: { size: -1, mimeType: '' },
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
      remotePort: delivery.remotePort
    }
  }
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
  onDelivery: (count: number) => void = () => {}
): Generator<string> {
  let count = 0
  if (format === 'har') yield harHeader(version) + '\n'
  for (const delivery of rows) {
    if (format === 'ndjson') yield JSON.stringify(toNdjson(delivery)) + '\n'
    else yield (count === 0 ? '' : ',') + JSON.stringify(toHarEntry(delivery)) + '\n'
    onDelivery(++count)
  }
  if (format === 'har') yield HAR_FOOTER
}

/** What a saved export is called by default. */
export function exportFileName(format: ExportFormat, now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, '-')
  return `hookscope-${stamp}.${format === 'har' ? 'har' : 'ndjson'}`
}

/** The URL the sender used, rebuilt from the Host header (the request line holds only the path). */
export function absoluteUrl(delivery: Pick<StoredDelivery, 'url' | 'headers'> & { tls?: unknown }): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(delivery.url)) return delivery.url
  const host = delivery.headers.find(([name]) => name.toLowerCase() === 'host')?.[1] ?? 'localhost'
  const scheme = delivery.tls ? 'https' : 'http'
  return `${scheme}://${host}${delivery.url.startsWith('/') ? '' : '/'}${delivery.url}`
}

function queryString(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }))
  } catch {
    return []
  }
}
