import { imageSize } from 'image-size'
import { MAX_PREVIEW_PIXELS } from './body-budgets'

/** Raster formats every Chromium draws. SVG is left out on purpose: it is markup, shown as XML text. */
const PREVIEWABLE = {
  png: { mime: 'image/png', extension: '.png' },
  jpg: { mime: 'image/jpeg', extension: '.jpg' },
  gif: { mime: 'image/gif', extension: '.gif' },
  webp: { mime: 'image/webp', extension: '.webp' },
  bmp: { mime: 'image/bmp', extension: '.bmp' },
  ico: { mime: 'image/x-icon', extension: '.ico' }
} as const

export interface SniffedImage {
  type: keyof typeof PREVIEWABLE
  /** From the bytes, never from the sender's Content-Type. */
  mime: string
  extension: string
  width: number
  height: number
  /** Small enough to decode for a preview (a 1 KiB file can claim 100,000 × 100,000 pixels). */
  previewable: boolean
}

/** What the bytes' own header says they are (image-size reads the header only), or null. */
export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  if (bytes.length < 12) return null
  let size: ReturnType<typeof imageSize>
  try {
    size = imageSize(bytes)
  } catch {
    return null
  }
  const type = size.type as keyof typeof PREVIEWABLE | undefined
  if (!type || !Object.hasOwn(PREVIEWABLE, type)) return null
  const { width = 0, height = 0 } = size
  return { type, ...PREVIEWABLE[type], width, height, previewable: width > 0 && height > 0 && width * height <= MAX_PREVIEW_PIXELS }
}
