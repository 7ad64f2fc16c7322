import { createHash, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'

/**
 * DNS rebinding defence: a page on evil.example that rebinds its name to 127.0.0.1 still sends
 * `Host: evil.example`. Only IP literals and `localhost` are accepted, and only on our port.
 */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostHeader)
  // Browsers leave out the default port, so a bare name only matches a server on port 80.
  if (!match || Number(match[2] ?? 80) !== port) return false
  const name = match[1]!.replace(/^\[|\]$/g, '')
  return name.toLowerCase() === 'localhost' || isIP(name) !== 0
}

/** Cross-site pages send their own Origin; ours is exactly http://<Host>. No Origin: not a browser page. */
export function isAllowedOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true
  return hostHeader !== undefined && hostHeader !== '' && origin === `http://${hostHeader}`
}

/** Constant-time token check that does not leak the token's length. */
export function tokenMatches(expected: string, presented: string | undefined | null): boolean {
  if (!presented) return false
  const a = createHash('sha256').update(expected).digest()
  const b = createHash('sha256').update(presented).digest()
  return timingSafeEqual(a, b)
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
  return match?.[1]
}
