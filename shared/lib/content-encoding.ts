import type { RawHeader } from '../model/delivery'

/**
 * The codings of a delivery's Content-Encoding, lowercased, `identity` left out; null when there is
 * none to undo. Several header lines count as one comma-separated list, as HTTP says; they are
 * listed in the order applied (the last one is undone first).
 */
export function contentCodings(headers: readonly RawHeader[]): string[] | null {
  const codings: string[] = []
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== 'content-encoding') continue
    // Header values are latin1 byte strings; coding names are ASCII.
    for (const part of value.split(',')) {
      const coding = part.trim().toLowerCase()
      if (coding && coding !== 'identity') codings.push(coding)
    }
  }
  return codings.length > 0 ? codings : null
}
