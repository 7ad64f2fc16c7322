/** The renderer's policy in production: nothing but its own files, no inline script, no remote content. */
export const PRODUCTION_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  // The body worker (renderer/src/features/inspector/body-worker.ts): a bundled file of our own.
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'"
].join('; ')

/**
 * Under `electron-vite dev` only: Vite injects an inline React-refresh preamble and <style>
 * tags, and talks HMR over a WebSocket to the dev server's own host. Never used for a built app.
 */
export function developmentCsp(devServerUrl: string): string {
  const { host, protocol } = new URL(devServerUrl)
  const hmr = `${protocol === 'https:' ? 'wss' : 'ws'}://${host}`
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${hmr}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

export function contentSecurityPolicy(devServerUrl: string | undefined): string {
  return devServerUrl ? developmentCsp(devServerUrl) : PRODUCTION_CSP
}

/**
 * Returns response headers with our CSP as the only one. Header names arrive in any case, and
 * a second, looser policy from a server would otherwise be combined with ours.
 */
export function withContentSecurityPolicy(headers: Record<string, string[]> | undefined, policy: string): Record<string, string[]> {
  const result: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase()
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue
    result[name] = value
  }
  result['Content-Security-Policy'] = [policy]
  return result
}
