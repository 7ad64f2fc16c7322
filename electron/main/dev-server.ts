const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The renderer URL `electron-vite dev` passes in ELECTRON_RENDERER_URL, or undefined. Ignored in
 * a packaged app, and accepted only on a loopback http(s) host: an environment variable must
 * never make the shell load remote content into a window that has the engine bridge.
 */
export function devServerUrlFrom(value: string | undefined, isPackaged: boolean): string | undefined {
  if (isPackaged || !value) return undefined
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    if (!LOOPBACK_HOSTS.has(url.hostname)) return undefined
    if (url.username !== '' || url.password !== '') return undefined
    return url.href
  } catch {
    return undefined
  }
}
