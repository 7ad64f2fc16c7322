import { decodeBase64 } from '../../../shared/lib/base64'

/**
 * Saves bytes through a Blob URL and a temporary `a[download]`. The link points at our own blob,
 * never at anything from a payload, and the blob type is octet-stream so nothing gets rendered.
 */
export function downloadBytes(bytes: Uint8Array<ArrayBuffer>, filename: string): void {
  downloadBlob(new Blob([bytes], { type: 'application/octet-stream' }), filename)
}

/** Saves a Blob the page made itself (never one from a payload's URL), typed so nothing renders it. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob.type === 'application/octet-stream' ? blob : new Blob([blob], { type: 'application/octet-stream' }))
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

export function downloadText(text: string, filename: string): void {
  downloadBytes(new TextEncoder().encode(text), filename)
}

/** A file the engine handed over as base64 (certificates, exports). */
export function downloadBase64(contentBase64: string, filename: string): void {
  downloadBytes(decodeBase64(contentBase64), filename)
}
