import type { RawHeader } from '../../../shared/model/delivery'
import type { IncomingRequest } from '../capture/capture-types'

/**
 * A smee "message" event as a delivery. smee's server parses the sender's body and sends
 * `{...request headers, body: <parsed body>, query: {...}, timestamp: <ms>}` as JSON: the original
 * bytes are gone, so the body is re-serialised here the way the official smee-client does
 * (`JSON.stringify(body)`; form bodies as `application/x-www-form-urlencoded` again, text as is)
 * and the delivery is marked `reserialized`. The path the sender used is not sent by smee; the
 * query is. Returns null for an event that is not such an object.
 */
export function smeeEventToRequest(
  data: string,
  context: { endpointId: string; channelUrl: string; now: number; maxBodyBytes: number }
): IncomingRequest | null {
  let payload: unknown
  try {
    payload = JSON.parse(data)
  } catch {
    return null
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null
  const { body, query, timestamp, ...fields } = payload as Record<string, unknown>
  const headers: RawHeader[] = []
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' || typeof item === 'number') headers.push([name, latin1(String(item))])
    }
  }
  const contentType = headers.find(([name]) => name === 'content-type')?.[1] ?? ''
  const bytes = reserialize(body, contentType)
  const search = queryString(query)
  const kept = bytes.length <= context.maxBodyBytes ? bytes : bytes.subarray(0, context.maxBodyBytes)
  const forwardedFor =
    headers
      .find(([name]) => name === 'x-forwarded-for')?.[1]
      .split(',')[0]
      ?.trim() ?? ''
  return {
    endpointId: context.endpointId,
    receivedAt: typeof timestamp === 'number' && Number.isFinite(timestamp) ? timestamp : context.now,
    durationMs: 0,
    method: 'POST',
    url: `/${search}`,
    httpVersion: '1.1',
    headers,
    body: kept,
    bodySize: bytes.length,
    truncated: kept.length < bytes.length,
    remoteAddress: forwardedFor,
    remotePort: 0,
    tls: null,
    source: { kind: 'tunnel', provider: 'smee', publicUrl: `${context.channelUrl}${search}`, reserialized: true }
  }
}

function reserialize(body: unknown, contentType: string): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0)
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (/^application\/x-www-form-urlencoded/i.test(contentType) && typeof body === 'object' && !Array.isArray(body)) {
    return Buffer.from(formEncode(body as Record<string, unknown>), 'utf8')
  }
  return Buffer.from(JSON.stringify(body), 'utf8')
}

function formEncode(fields: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, typeof item === 'string' ? item : JSON.stringify(item))
  }
  return params.toString()
}

function queryString(query: unknown): string {
  if (typeof query !== 'object' || query === null) return ''
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') params.append(name, item)
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** Header values are byte strings; JSON may carry characters past U+00FF: keep their UTF-8 bytes. */
function latin1(value: string): string {
  return /[^\x00-\xff]/.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value
}
