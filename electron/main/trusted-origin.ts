/** The scheme and host the production renderer is served from (see app-protocol.ts). */
export const APP_SCHEME = 'app'
export const APP_HOST = 'hookscope'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

interface Origin {
  protocol: string
  host: string
}

function parseOrigin(url: string | undefined): Origin | null {
  if (typeof url !== 'string' || url === '') return null
  try {
    const parsed = new URL(url)
    // Credentials in a URL are never ours, and would let `user@host` spoof a prefix check.
    if (parsed.username !== '' || parsed.password !== '') return null
    // `URL.origin` is "null" for non-special schemes such as app:, and their host keeps its case
    // (Chromium lowercases it for a standard scheme), so compare lowercased parts.
    return { protocol: parsed.protocol, host: parsed.host.toLowerCase() }
  } catch {
    return null
  }
}

/**
 * Builds the one predicate used for IPC senders, navigation and event targets: true only for
 * URLs on exactly one of `allowedOrigins` (scheme + host + port). In production that is
 * app://hookscope; under `electron-vite dev` it is also the dev server's URL.
 */
export function createTrustedUrlCheck(allowedOrigins: readonly string[]): (url: string | undefined) => boolean {
  const allowed = allowedOrigins.map((origin) => {
    const parsed = parseOrigin(origin)
    if (!parsed) throw new TypeError(`not an origin: ${origin}`)
    return parsed
  })
  return (url) => {
    const candidate = parseOrigin(url)
    if (!candidate) return false
    return allowed.some((origin) => origin.protocol === candidate.protocol && origin.host === candidate.host)
  }
}

/** The origins the renderer may be loaded from: the app scheme, plus the dev server when one is given. */
export function trustedOrigins(devServerUrl: string | undefined): string[] {
  return devServerUrl ? [APP_ORIGIN, devServerUrl] : [APP_ORIGIN]
}
