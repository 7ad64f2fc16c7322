/** The parts of a Content-Type header value the UI cares about; tolerant of junk (it is attacker-controlled). */
export interface ContentType {
  /** Lowercased `type/subtype`, '' when absent or unparsable. */
  mediaType: string
  /** Lowercased charset parameter, null when absent. */
  charset: string | null
}

export function parseContentType(value: string | null | undefined): ContentType {
  if (!value) return { mediaType: '', charset: null }
  const mediaType = (value.split(';', 1)[0] ?? '').trim().toLowerCase()
  const charset = contentTypeParam(value, 'charset')?.toLowerCase()
  return { mediaType: /^[^\s/]+\/[^\s/]+$/.test(mediaType) ? mediaType : '', charset: charset || null }
}

/** A parameter of a Content-Type value (`boundary`, `charset`...), unquoted; null when absent. */
export function contentTypeParam(value: string | null | undefined, name: string): string | null {
  if (!value) return null
  const [, ...params] = value.split(';')
  for (const param of params) {
    const eq = param.indexOf('=')
    if (eq < 0) continue
    if (param.slice(0, eq).trim().toLowerCase() !== name) continue
    return param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
  }
  return null
}

export function isMultipartMediaType(mediaType: string): boolean {
  return mediaType.startsWith('multipart/')
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
