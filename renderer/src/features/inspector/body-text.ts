import { parseContentType } from '../../../../shared/lib/content-type'

/** Body bytes as text in the declared charset (UTF-8 when absent or unknown to the browser). */
export function decodeBodyText(bytes: Uint8Array, contentType: string | null): string {
  const { charset } = parseContentType(contentType)
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(charset ?? 'utf-8', { ignoreBOM: true })
  } catch {
    decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  }
  return decoder.decode(bytes)
}
