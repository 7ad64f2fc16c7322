import type { TunnelProvider } from '../../../shared/model/tunnel'

export interface TunnelTarget {
  provider: TunnelProvider
  /** The channel URL as given (normalised: no trailing slash). */
  url: string
  /** Where the client connects: the relay's WebSocket, or the smee SSE stream. */
  connectUrl: string
}

/**
 * A relay-server channel URL is `http(s)://host[/base]/c/<channel id>`; any other http(s) URL is
 * taken as a smee-protocol channel (`https://smee.io/<channel>` or a self-hosted smee server).
 * Returns null for anything else.
 */
export function parseTunnelUrl(input: string): TunnelTarget | null {
  let parsed: URL
  try {
    parsed = new URL(input)
  } catch {
    return null
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.host || parsed.username || parsed.password) return null
  if (parsed.search || parsed.hash) return null
  const path = parsed.pathname.replace(/\/+$/, '')
  const url = `${parsed.protocol}//${parsed.host}${path}`
  if (/\/c\/[0-9a-z]{24}$/.test(path)) {
    const ws = parsed.protocol === 'https:' ? 'wss:' : 'ws:'
    return { provider: 'hookscope', url, connectUrl: `${ws}//${parsed.host}${path}/connect` }
  }
  if (path === '') return null
  return { provider: 'smee', url, connectUrl: url }
}
