import type { RawHeader } from '../model/delivery'

/**
 * The URL the sender used, rebuilt from the Host header and the request target (the request line
 * holds only the path, unless the sender used the absolute form). `secure`: it arrived over TLS.
 * Export, verification (schemes that sign the URL) and the UI all rebuild it this one way.
 */
export function absoluteUrl(delivery: { url: string; headers: readonly RawHeader[]; secure: boolean }): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(delivery.url)) return delivery.url
  const host = delivery.headers.find(([name]) => name.toLowerCase() === 'host')?.[1] ?? 'localhost'
  const scheme = delivery.secure ? 'https' : 'http'
  return `${scheme}://${host}${delivery.url.startsWith('/') ? '' : '/'}${delivery.url}`
}
