/** The parts of a Content-Type header value the UI cares about; tolerant of junk (it is attacker-controlled). */
export interface ContentType {
  /** Lowercased `type/subtype`, '' when absent or unparsable. */
  mediaType: string
  /** Lowercased charset parameter, null when absent. */
  charset: string | null
}

export function parseContentType(value: string | null | undefined): ContentType {
  if (!value) return { mediaType: '', charset: null }
  const [head = '', ...params] = value.split(';')
  const mediaType = head.trim().toLowerCase()
  let charset: string | null = null
  for (const param of params) {
    const eq = param.indexOf('=')
    if (eq < 0) continue
    if (param.slice(0, eq).trim().toLowerCase() !== 'charset') continue
    charset = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase()
    break
  }
  return { mediaType: /^[^\s/]+\/[^\s/]+$/.test(mediaType) ? mediaType : '', charset: charset || null }
}

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json')
}

export function isXmlMediaType(mediaType: string): boolean {
  return mediaType === 'application/xml' || mediaType === 'text/xml' || mediaType.endsWith('+xml')
}

export function isFormMediaType(mediaType: string): boolean {
  return mediaType === 'application/x-www-form-urlencoded'
}
