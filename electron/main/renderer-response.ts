import { readFile, realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative, sep } from 'node:path'
import { contentTypeFor } from './content-type'
import { resolveRendererPath } from './renderer-path'
import { APP_HOST, APP_SCHEME } from './trusted-origin'

function isInside(root: string, filePath: string): boolean {
  const rel = relative(root, filePath)
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel)
}

function plain(status: number, text: string, securityHeaders: Record<string, string>): Response {
  return new Response(text, {
    status,
    headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' }
  })
}

/**
 * The app:// request handler, free of 'electron' so it is tested against a real folder.
 * Serves files of the renderer build and nothing else: GET/HEAD only, our host only, no
 * traversal (lexically via resolveRendererPath, then by real path so a symlink cannot point
 * out), 404 for anything missing. Every response carries the CSP, because webRequest header
 * hooks are not guaranteed to see custom-protocol responses.
 */
export function createRendererHandler(rendererDir: string, csp: string): (request: Request) => Promise<Response> {
  const securityHeaders = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache'
  }
  let realRoot: Promise<string> | undefined

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plain(405, 'method not allowed', securityHeaders)
    }
    let url: URL
    try {
      url = new URL(request.url)
    } catch {
      return plain(404, 'not found', securityHeaders)
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return plain(404, 'not found', securityHeaders)

    const filePath = resolveRendererPath(rendererDir, request.url)
    if (!filePath) return plain(404, 'not found', securityHeaders)
    try {
      realRoot ??= realpath(rendererDir)
      const [root, real] = await Promise.all([realRoot, realpath(filePath)])
      if (!isInside(root, real) || !(await stat(real)).isFile()) return plain(404, 'not found', securityHeaders)
      const body = request.method === 'HEAD' ? null : await readFile(real)
      return new Response(body, {
        status: 200,
        headers: { ...securityHeaders, 'Content-Type': contentTypeFor(real) }
      })
    } catch {
      // Missing file, or the build folder itself is gone (retry realpath next time).
      realRoot = undefined
      return plain(404, 'not found', securityHeaders)
    }
  }
}
