/** Classic `hexdump -C` layout, computed per row so a virtualised view only formats what is visible. */

export const HEX_ROW_BYTES = 16

export interface HexRow {
  /** 8 hex digits. */
  offset: string
  /** Space-separated byte pairs, an extra space after the 8th, padded to full width on the last row. */
  hex: string
  /** Printable ASCII as is, everything else as '.'. */
  ascii: string
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
const FULL_HEX_WIDTH = HEX_ROW_BYTES * 3

export function hexRowCount(length: number): number {
  return Math.ceil(length / HEX_ROW_BYTES)
}

export function hexDumpRow(bytes: Uint8Array, row: number): HexRow {
  const start = row * HEX_ROW_BYTES
  const end = Math.min(start + HEX_ROW_BYTES, bytes.length)
  let hex = ''
  let ascii = ''
  for (let i = start; i < end; i++) {
    const b = bytes[i]!
    hex += (i - start === 8 ? '  ' : i === start ? '' : ' ') + HEX[b]
    ascii += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.'
  }
  return { offset: start.toString(16).padStart(8, '0'), hex: hex.padEnd(FULL_HEX_WIDTH), ascii }
}

/** The whole dump as text, one `offset  hex  |ascii|` line per row (for copying and tests). */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = []
  for (let row = 0; row < hexRowCount(bytes.length); row++) {
    const { offset, hex, ascii } = hexDumpRow(bytes, row)
    lines.push(`${offset}  ${hex}  |${ascii}|`)
  }
  return lines.join('\n')
}
