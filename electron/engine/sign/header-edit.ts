import type { RawHeader } from '../../../shared/model/delivery'

/**
 * Header edits that keep a request recognisable: a header that is already there keeps its
 * position and the case of its name and only takes the new value (later duplicates of it go);
 * one that is absent is appended. Every edit returns a new list (verification indexes header
 * lists by identity, so a list is never changed after it was read).
 */
export function withHeader(headers: readonly RawHeader[], name: string, value: string): RawHeader[] {
  const lower = name.toLowerCase()
  const out: RawHeader[] = []
  let placed = false
  for (const [key, current] of headers) {
    if (key.toLowerCase() !== lower) out.push([key, current])
    else if (!placed) {
      out.push([key, value])
      placed = true
    }
  }
  if (!placed) out.push([name, value])
  return out
}

export function withoutHeader(headers: readonly RawHeader[], name: string): RawHeader[] {
  const lower = name.toLowerCase()
  return headers.filter(([key]) => key.toLowerCase() !== lower).map(([key, value]): RawHeader => [key, value])
}

/** Sets the header only when the request already carries it (optional provider headers). */
export function withHeaderIfPresent(headers: readonly RawHeader[], name: string, value: string): RawHeader[] {
  return headerValue(headers, name) === undefined ? [...headers] : withHeader(headers, name, value)
}

export function headerValue(headers: readonly RawHeader[], name: string): string | undefined {
  const lower = name.toLowerCase()
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1]
}
