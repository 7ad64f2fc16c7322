import { UsageError } from './usage-error'

/** An http(s) URL flag; `localhost:3000` alone means http://localhost:3000. */
export function httpUrlFlag(value: string, name: string): string {
  let url: URL
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`)
  } catch {
    throw new UsageError(`--${name} must be a URL such as http://127.0.0.1:3000, not "${value}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--${name} must be an http:// or https:// URL, not "${value}"`)
  if (url.username || url.password) throw new UsageError(`--${name} must not carry a user name or password`)
  return url.href
}
