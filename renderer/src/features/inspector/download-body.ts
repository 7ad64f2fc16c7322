import type { BodyFormat } from '../../../../shared/lib/body-format'
import type { SniffedImage } from './image-sniff'

/** Ids come from the engine, but a file name is no place to trust anything. */
export function safeFileName(base: string): string {
  return base.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'body'
}

/** A file name suffix for the detected body format (an image's own, when the bytes are one). */
export function fileExtension(format: BodyFormat, image: SniffedImage | null = null): string {
  if (image) return image.extension
  switch (format) {
    case 'json':
      return '.json'
    case 'xml':
      return '.xml'
    case 'form':
    case 'text':
      return '.txt'
    default:
      return '.bin'
  }
}
