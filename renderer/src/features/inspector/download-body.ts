import type { BodyFormat } from '../../../../shared/lib/body-format'

/**
 * Saves bytes through a Blob URL and a temporary `a[download]`. The link points at our own blob,
 * never at anything from the payload, and the blob type is octet-stream so nothing gets rendered.
 */
export function downloadBytes(bytes: Uint8Array<ArrayBuffer>, filename: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoking right away can cancel the download in some browsers; give it time to start.
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

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
