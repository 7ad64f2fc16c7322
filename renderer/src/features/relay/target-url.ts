/**
 * Whether a forwarding or replay target stays on this machine. Anything else (a LAN address, a
 * public host) receives the captured deliveries, secrets in their headers included: the UI warns.
 */
export function isLoopbackTarget(target: string): boolean {
  let host: string
  try {
    host = new URL(target).hostname.toLowerCase()
  } catch {
    return false
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (host === '[::1]') return true
  return /^127(?:\.\d{1,3}){3}$/.test(host)
}

export function targetWarning(target: string): string | null {
  if (!/^https?:\/\/\S+$/i.test(target.trim()) || isLoopbackTarget(target.trim())) return null
  return 'This target is not on this machine: every forwarded delivery, with its headers and body, leaves it.'
}
