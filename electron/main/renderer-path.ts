import { isAbsolute, join, relative, resolve, sep } from 'node:path'

/** The one page the renderer build has; `/` maps to it. */
export const RENDERER_INDEX = 'index.html'

/**
 * Maps an `app://hookscope/...` URL to a file inside `rootDir`, or null when the URL could
 * escape it. Pure (no fs, no electron) so the traversal rules are unit-tested; the protocol
 * handler still checks that the file exists and that its real path stays inside the root.
 *
 * The WHATWG parser already folds `..` and `%2e%2e` segments, but it keeps `%2f` and `%5c`
 * encoded; decoding them afterwards would reintroduce separators, so any decoded segment
 * holding a separator, a dot-segment or a NUL is refused rather than normalised.
 */
export function resolveRendererPath(rootDir: string, url: string): string | null {
  let pathname: string
  try {
    pathname = new URL(url).pathname
  } catch {
    return null
  }
  const segments: string[] = []
  for (const raw of pathname.split('/')) {
    if (raw === '') continue
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return null
    }
    if (segment === '.' || segment === '..') return null
    if (/[/\\\0]/.test(segment)) return null
    // A drive letter or an NTFS stream (`C:`, `file:stream`) would be absolute or special on Windows.
    if (segment.includes(':')) return null
    segments.push(segment)
  }
  if (segments.length === 0 || pathname.endsWith('/')) segments.push(RENDERER_INDEX)

  const root = resolve(rootDir)
  const filePath = resolve(join(root, ...segments))
  const rel = relative(root, filePath)
  if (rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) return null
  return filePath
}
