import type { PathRewrite } from '../../../shared/model/relay'

/**
 * Where a request goes. A target that is only an origin (`http://127.0.0.1:3000`, `.../`) gets
 * the request's path (after the rewrite) and query appended: one catch-all rule serves every
 * path. A target with a path is used exactly (`http://localhost:3000/webhook` gets every request,
 * as provider CLIs forward). Throws on a target that is not an absolute http(s) URL.
 */
export function targetUrlFor(target: string, requestTarget: string, rewrite: PathRewrite | null = null): URL {
  const url = parseTarget(target)
  if (url.pathname !== '/' || url.search !== '') return url
  const queryAt = requestTarget.indexOf('?')
  const path = queryAt === -1 ? requestTarget : requestTarget.slice(0, queryAt)
  const query = queryAt === -1 ? '' : requestTarget.slice(queryAt)
  let rewritten = rewritePath(path, rewrite)
  if (!rewritten.startsWith('/')) rewritten = '/' + rewritten
  // Assigned as text: URL would re-encode (or normalise away) bytes the sender chose.
  return new URL(`${url.origin}${rewritten}${query}`)
}

export function rewritePath(path: string, rewrite: PathRewrite | null): string {
  if (!rewrite || !path.startsWith(rewrite.prefix)) return path
  return rewrite.replacement + path.slice(rewrite.prefix.length)
}

export function parseTarget(target: string): URL {
  let url: URL
  try {
    url = new URL(target)
  } catch {
    throw new TypeError(`not a URL: ${target.slice(0, 200)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${target.slice(0, 200)}`)
  if (url.username || url.password) throw new TypeError('a target URL must not carry a user name or password')
  return url
}

/** The request target (path and query) to put on the request line. */
export function requestTargetOf(url: URL): string {
  return `${url.pathname}${url.search}`
}

/** 127.0.0.0/8, ::1 and localhost: targets on this machine (others get a warning in the UI). */
export function isLoopbackTarget(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}
