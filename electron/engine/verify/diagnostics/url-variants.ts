/**
 * For schemes that sign the URL: the URL the sender used often differs from the one we see
 * (a default port added or dropped by a proxy, http behind a TLS-terminating tunnel, a trailing slash).
 */
export function urlVariants(url: string): { label: string; url: string }[] {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return []
  }
  const variants: { label: string; url: string }[] = []
  const add = (label: string, next: string) => {
    if (next !== url && !variants.some((v) => v.url === next)) variants.push({ label, url: next })
  }
  const defaultPort = parsed.protocol === 'https:' ? '443' : '80'
  const explicitPort = /^[a-z]+:\/\/[^/]*:\d+/i.test(url)
  if (!explicitPort) add(`with the default port :${defaultPort} written out`, url.replace(/^([a-z]+:\/\/[^/?#]+)/i, `$1:${defaultPort}`))
  else if (parsed.port === '') add('without the default port', url.replace(/^([a-z]+:\/\/[^/:?#]+):\d+/i, '$1'))
  const otherScheme = parsed.protocol === 'https:' ? 'http:' : 'https:'
  for (const base of [url, ...variants.map((v) => v.url)]) {
    add(`with ${otherScheme.slice(0, -1)} instead of ${parsed.protocol.slice(0, -1)}`, base.replace(/^[a-z]+:/i, otherScheme))
  }
  const noPortOther = url.replace(/^[a-z]+:/i, otherScheme).replace(/^([a-z]+:\/\/[^/:?#]+):\d+/i, '$1')
  add(`with ${otherScheme.slice(0, -1)} and no port (a tunnel's public URL)`, noPortOther)
  if (parsed.pathname.endsWith('/') && parsed.pathname.length > 1) add('without the trailing slash', url.replace(/\/(\?|$)/, '$1'))
  else if (!parsed.pathname.endsWith('/')) add('with a trailing slash', url.replace(/(\?|$)/, '/$1'))
  return variants
}
