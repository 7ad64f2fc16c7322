/**
 * A JSON parser that keeps what JSON.parse loses and an inspector must show: key order (JS objects
 * move integer-like keys first), duplicate keys, and number literals verbatim (64-bit ids stay exact).
 * Nesting is bounded: payloads are attacker-controlled and deep recursion would blow the stack.
 */

export type JsonNode =
  | { kind: 'object'; entries: JsonEntry[] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; raw: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }

export interface JsonEntry {
  key: string
  value: JsonNode
}

export type JsonParseResult = { ok: true; node: JsonNode } | { ok: false; message: string; offset: number }

export const DEFAULT_MAX_JSON_DEPTH = 500

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message)
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

export function parseJsonTree(text: string, maxDepth = DEFAULT_MAX_JSON_DEPTH): JsonParseResult {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, pos)
  }

  const skipWhitespace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos)
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++
      else return
    }
  }

  const expectWord = (word: string): void => {
    if (!text.startsWith(word, pos)) fail(`unexpected token`)
    pos += word.length
  }

  const parseString = (): string => {
    pos++ // opening quote
    let out = ''
    let chunkStart = pos
    for (;;) {
      if (pos >= text.length) fail('unterminated string')
      const c = text.charCodeAt(pos)
      if (c === 0x22) {
        out += text.slice(chunkStart, pos)
        pos++
        return out
      }
      if (c < 0x20) fail('control character in string')
      if (c !== 0x5c) {
        pos++
        continue
      }
      out += text.slice(chunkStart, pos)
      const escape = text[pos + 1]
      pos += 2
      switch (escape) {
        case '"': out += '"'; break
        case '\\': out += '\\'; break
        case '/': out += '/'; break
        case 'b': out += '\b'; break
        case 'f': out += '\f'; break
        case 'n': out += '\n'; break
        case 'r': out += '\r'; break
        case 't': out += '\t'; break
        case 'u': {
          const hex = text.slice(pos, pos + 4)
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape')
          out += String.fromCharCode(parseInt(hex, 16))
          pos += 4
          break
        }
        default:
          pos -= 2
          fail('bad escape')
      }
      chunkStart = pos
    }
  }

  const parseValue = (depth: number): JsonNode => {
    skipWhitespace()
    const c = text[pos]
    if (c === '{' || c === '[') {
      if (depth >= maxDepth) fail(`nested deeper than ${maxDepth}`)
      return c === '{' ? parseObject(depth + 1) : parseArray(depth + 1)
    }
    if (c === '"') return { kind: 'string', value: parseString() }
    if (c === 't') return expectWord('true'), { kind: 'boolean', value: true }
    if (c === 'f') return expectWord('false'), { kind: 'boolean', value: false }
    if (c === 'n') return expectWord('null'), { kind: 'null' }
    NUMBER.lastIndex = pos
    const match = NUMBER.exec(text)
    if (!match) return fail(pos >= text.length ? 'unexpected end' : 'unexpected token')
    pos += match[0].length
    return { kind: 'number', raw: match[0] }
  }

  const parseObject = (depth: number): JsonNode => {
    pos++
    const entries: JsonEntry[] = []
    skipWhitespace()
    if (text[pos] === '}') {
      pos++
      return { kind: 'object', entries }
    }
    for (;;) {
      skipWhitespace()
      if (text[pos] !== '"') fail('expected a string key')
      const key = parseString()
      skipWhitespace()
      if (text[pos] !== ':') fail("expected ':'")
      pos++
      entries.push({ key, value: parseValue(depth) })
      skipWhitespace()
      const next = text[pos++]
      if (next === '}') return { kind: 'object', entries }
      if (next !== ',') {
        pos--
        fail("expected ',' or '}'")
      }
    }
  }

  const parseArray = (depth: number): JsonNode => {
    pos++
    const items: JsonNode[] = []
    skipWhitespace()
    if (text[pos] === ']') {
      pos++
      return { kind: 'array', items }
    }
    for (;;) {
      items.push(parseValue(depth))
      skipWhitespace()
      const next = text[pos++]
      if (next === ']') return { kind: 'array', items }
      if (next !== ',') {
        pos--
        fail("expected ',' or ']'")
      }
    }
  }

  try {
    const node = parseValue(0)
    skipWhitespace()
    if (pos < text.length) fail('unexpected data after the value')
    return { ok: true, node }
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, message: error.message, offset: error.offset }
    throw error
  }
}

/** Scalar as JSON source text (strings escaped and quoted), for display. */
export function formatJsonScalar(node: Exclude<JsonNode, { kind: 'object' | 'array' }>): string {
  switch (node.kind) {
    case 'string':
      return JSON.stringify(node.value)
    case 'number':
      return node.raw
    case 'boolean':
      return node.value ? 'true' : 'false'
    case 'null':
      return 'null'
  }
}
