import type { RawHeader } from '../../../shared/model/delivery'
import type { ForwardingRule, RuleMatch } from '../../../shared/model/relay'

/** JSON-field conditions look into bodies up to this size; a larger body never matches them. */
export const JSON_MATCH_LIMIT = 1024 * 1024

export interface MatchableRequest {
  method: string
  /** Request target as received (path and query). */
  url: string
  headers: readonly RawHeader[]
  body: Buffer
}

/**
 * The first enabled rule whose conditions all hold, or null. Cheap enough for every delivery:
 * a body is parsed only when a rule asks about a JSON field, at most once, and only up to 1 MiB.
 */
export function firstMatchingRule(rules: readonly ForwardingRule[], request: MatchableRequest): ForwardingRule | null {
  let json: { value: unknown } | undefined
  const body = () => {
    json ??= { value: parseJsonBody(request.body) }
    return json.value
  }
  for (const rule of rules) {
    if (rule.enabled && matches(rule.match, request, body)) return rule
  }
  return null
}

function matches(match: RuleMatch, request: MatchableRequest, body: () => unknown): boolean {
  if (match.method !== null && match.method.toUpperCase() !== request.method.toUpperCase()) return false
  if (match.pathPrefix !== null) {
    const queryAt = request.url.indexOf('?')
    const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt)
    if (!path.startsWith(match.pathPrefix)) return false
  }
  if (match.header !== null) {
    const lower = match.header.name.toLowerCase()
    const wanted = match.header.value
    if (!request.headers.some(([name, value]) => name.toLowerCase() === lower && value === wanted)) return false
  }
  if (match.jsonField !== null) {
    const found = fieldAt(body(), match.jsonField.path)
    if (found === undefined || textOf(found) !== match.jsonField.value) return false
  }
  return true
}

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0 || body.length > JSON_MATCH_LIMIT) return undefined
  // Skip the parse for bodies that cannot be a JSON object or array.
  const first = body.find((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09)
  if (first !== 0x7b && first !== 0x5b) return undefined
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}

function fieldAt(value: unknown, path: string): unknown {
  let current = value
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(part)) return undefined
      current = current[Number(part)]
    } else {
      if (!Object.hasOwn(current, part)) return undefined
      current = (current as Record<string, unknown>)[part]
    }
  }
  return current
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value)
  return undefined
}
