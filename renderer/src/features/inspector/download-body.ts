import type { BodyFormat } from '../../../../shared/lib/body-format'

/** Ids come from the engine, but a file name is no place to trust anything. */
export function safeFileName(base: string): string {
  return base.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'body'
}

/** A file name suffix for the detected body format. */
export function fileExtension(format: BodyFormat): string {
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
