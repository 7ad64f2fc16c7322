import { isUtf8 } from 'node:buffer'

const LIMIT = 4096

/** What was signed, for display: text as text, binary as a hex excerpt; never more than 4 KiB. */
export function previewSignedContent(content: Buffer): string {
  const head = content.subarray(0, LIMIT)
  const more = content.length > LIMIT ? ` … (${content.length - LIMIT} more bytes)` : ''
  if (isUtf8(content) || isUtf8(head)) return head.toString('utf8') + more
  return `<${content.length} bytes> ${head.subarray(0, 256).toString('hex')}${content.length > 256 ? '…' : ''}`
}
