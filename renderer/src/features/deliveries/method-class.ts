const KNOWN = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])

/** CSS class for a method badge, from a fixed list: the method string itself comes from the sender. */
export function methodClass(method: string): string {
  return KNOWN.has(method) ? `method method-${method.toLowerCase()}` : 'method method-other'
}

export function statusClass(status: number): string {
  return `status status-${status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx'}`
}

export const COMMON_METHODS = [...KNOWN]
