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

/**
 * Header values by lower-case name, built once per header list: detection asks some thirty
 * schemes about the same delivery, and each asks for several headers.
 */
const indexes = new WeakMap<readonly RawHeader[], Map<string, string[]>>()

function headerIndex(headers: readonly RawHeader[]): Map<string, string[]> {
  let index = indexes.get(headers)
  if (!index) {
    index = new Map()
    for (const [key, value] of headers) {
      const lower = key.toLowerCase()
      const values = index.get(lower)
      if (values) values.push(value)
      else index.set(lower, [value])
    }
    indexes.set(headers, index)
  }
  return index
}

/** First value of a header, case-insensitively (HTTP header names are case-insensitive). */
export function header(request: VerifyRequest, name: string): string | undefined {
  return headerIndex(request.headers).get(name.toLowerCase())?.[0]
}

/** Every value of a header, in order received. */
export function headerValues(request: VerifyRequest, name: string): string[] {
  return headerIndex(request.headers).get(name.toLowerCase())?.slice() ?? []
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
