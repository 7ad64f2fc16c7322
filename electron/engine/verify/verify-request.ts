import type { RawHeader } from '../../../shared/model/delivery'

/** A delivery as verification sees it: bytes and the URL the sender addressed. */
export interface VerifyRequest {
  method: string
  /** Absolute URL (scheme://host[:port]/path?query), as the sender signed it. */
  url: string
  headers: RawHeader[]
  body: Buffer
  endpointId: string | null
}

/** First value of a header, case-insensitively (HTTP header names are case-insensitive). */
export function header(request: VerifyRequest, name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const [key, value] of request.headers) if (key.toLowerCase() === lower) return value
  return undefined
}

/** Every value of a header, in order received. */
export function headerValues(request: VerifyRequest, name: string): string[] {
  const lower = name.toLowerCase()
  return request.headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value)
}

export function hasHeader(request: VerifyRequest, name: string): boolean {
  return header(request, name) !== undefined
}

/** Path and query of the request URL. */
export function pathOf(request: VerifyRequest): string {
  try {
    const url = new URL(request.url)
    return url.pathname + url.search
  } catch {
    return request.url
  }
}
