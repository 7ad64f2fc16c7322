import type { Clock, Cutoff } from './budget'
import { Deadline, IntColumn } from './budget'

/**
 * A JSON parser that keeps what JSON.parse loses and an inspector must show: key order (JS objects
 * move integer-like keys first), duplicate keys, and number literals verbatim (64-bit ids stay
 * exact). The tree comes out flat, in document order, as typed arrays plus one string of all keys
 * and values: a 5 MiB body of 360,000 nodes crosses from a Web Worker to the page as a handful of
 * transferable buffers instead of 360,000 objects, and a windowed view reads only the rows it shows.
 * Iterative (no recursion), so nesting cannot blow the stack; bounded by nodes, depth and time.
 */

export const JSON_OBJECT = 0
export const JSON_ARRAY = 1
export const JSON_STRING = 2
export const JSON_NUMBER = 3
export const JSON_TRUE = 4
export const JSON_FALSE = 5
export const JSON_NULL = 6

/** Node i is described by entry i of every column; node 0 is the root. */
export interface JsonDoc {
  /** Every key and scalar value, back to back. */
  pool: string
  kinds: Uint8Array<ArrayBuffer>
  /** Parent node, -1 for the root. */
  parents: Int32Array<ArrayBuffer>
  /** One past the node's last descendant: its subtree is nodes i .. ends[i]-1. */
  ends: Int32Array<ArrayBuffer>
  depths: Uint16Array<ArrayBuffer>
  /** Position among its parent's children. */
  slots: Int32Array<ArrayBuffer>
  /** Children of a container (0 for scalars). */
  sizes: Int32Array<ArrayBuffer>
  /** Key in `pool[keyStarts[i], valueStarts[i])` (empty unless the parent is an object). */
  keyStarts: Int32Array<ArrayBuffer>
  /** Value in `pool[valueStarts[i], valueEnds[i])`: a string's decoded text, a number's literal. */
  valueStarts: Int32Array<ArrayBuffer>
  valueEnds: Int32Array<ArrayBuffer>
  /** Set when a budget stopped the parse: the nodes read so far are complete, open containers closed. */
  cutoff: Cutoff | null
}

export type JsonParseResult = { ok: true; doc: JsonDoc } | { ok: false; message: string; offset: number }

export interface JsonLimits {
  maxNodes: number
  maxDepth: number
  maxMillis: number
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message)
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/**
 * `cutShort`: the text is only the start of the body (cut to the input budget, or truncated at
 * capture). A syntax error at its very end then means "it ends here": the nodes read so far are
 * shown with this cutoff instead of "not valid JSON".
 */
export function parseJsonTree(text: string, limits: JsonLimits, clock: Clock, cutShort: Cutoff | null = null): JsonParseResult {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const deadline = new Deadline(clock, limits.maxMillis)
  const kinds: number[] = []
  const parents = new IntColumn()
  const ends = new IntColumn()
  const depths: number[] = []
  const slots = new IntColumn()
  const sizes = new IntColumn()
  const keyStarts = new IntColumn()
  const valueStarts = new IntColumn()
  const valueEnds = new IntColumn()
  const pieces: string[] = []
  let poolLength = 0
  const stack: number[] = []
  let cutoff: Cutoff | null = null

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

  const addToPool = (piece: string): void => {
    if (piece.length === 0) return
    pieces.push(piece)
    poolLength += piece.length
  }

  /** Appends a node; its value (if any) must be added to the pool right after. */
  const begin = (kind: number, key: string | null): number => {
    const index = kinds.length
    const parent = stack.length > 0 ? stack[stack.length - 1]! : -1
    kinds.push(kind)
    parents.push(parent)
    ends.push(index + 1)
    depths.push(stack.length)
    sizes.push(0)
    if (parent >= 0) {
      slots.push(sizes.get(parent))
      sizes.set(parent, sizes.get(parent) + 1)
    } else {
      slots.push(0)
    }
    keyStarts.push(poolLength)
    if (key !== null) addToPool(key)
    valueStarts.push(poolLength)
    valueEnds.push(poolLength)
    return index
  }

  const scalar = (kind: number, key: string | null, value: string): void => {
    const index = begin(kind, key)
    addToPool(value)
    valueEnds.set(index, poolLength)
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
      const escaped = text[pos + 1]
      pos += 2
      switch (escaped) {
        case '"':
          out += '"'
          break
        case '\\':
          out += '\\'
          break
        case '/':
          out += '/'
          break
        case 'b':
          out += '\b'
          break
        case 'f':
          out += '\f'
          break
        case 'n':
          out += '\n'
          break
        case 'r':
          out += '\r'
          break
        case 't':
          out += '\t'
          break
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

  const expectWord = (word: string): void => {
    if (!text.startsWith(word, pos)) fail('unexpected token')
    pos += word.length
  }

  /** Reads `"key":` inside an object. */
  const parseKey = (): string => {
    skipWhitespace()
    if (text[pos] !== '"') fail('expected a string key')
    const key = parseString()
    skipWhitespace()
    if (text[pos] !== ':') fail("expected ':'")
    pos++
    return key
  }

  const spent = (): boolean => {
    if (kinds.length >= limits.maxNodes) cutoff = { limit: 'items', at: kinds.length, unit: 'nodes' }
    else if (deadline.passed()) cutoff = { limit: 'time', at: limits.maxMillis, unit: 'ms' }
    return cutoff !== null
  }

  try {
    let key: string | null = null
    parse: for (;;) {
      // A value is expected here.
      if (spent()) break
      skipWhitespace()
      const c = text[pos]
      if (c === '{' || c === '[') {
        if (stack.length >= limits.maxDepth) {
          cutoff = { limit: 'depth', at: limits.maxDepth, unit: 'levels' }
          break
        }
        const node = begin(c === '{' ? JSON_OBJECT : JSON_ARRAY, key)
        pos++
        skipWhitespace()
        if (text[pos] === (c === '{' ? '}' : ']')) {
          pos++
        } else {
          stack.push(node)
          key = c === '{' ? parseKey() : null
          continue
        }
      } else if (c === '"') {
        scalar(JSON_STRING, key, parseString())
      } else if (c === 't') {
        expectWord('true')
        scalar(JSON_TRUE, key, '')
      } else if (c === 'f') {
        expectWord('false')
        scalar(JSON_FALSE, key, '')
      } else if (c === 'n') {
        expectWord('null')
        scalar(JSON_NULL, key, '')
      } else {
        NUMBER.lastIndex = pos
        const match = NUMBER.exec(text)
        if (!match) fail(pos >= text.length ? 'unexpected end' : 'unexpected token')
        pos += match![0].length
        scalar(JSON_NUMBER, key, match![0])
      }
      // After a value: the next sibling, or the end of one or more containers.
      for (;;) {
        skipWhitespace()
        if (stack.length === 0) {
          if (pos < text.length) fail('unexpected data after the value')
          break parse
        }
        const container = stack[stack.length - 1]!
        const isObject = kinds[container] === JSON_OBJECT
        const next = text[pos++]
        if (next === ',') {
          key = isObject ? parseKey() : null
          continue parse
        }
        if (next !== (isObject ? '}' : ']')) {
          pos--
          fail(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
        }
        ends.set(container, kinds.length)
        stack.pop()
      }
    }
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error
    if (!cutShort || error.offset < text.length || kinds.length === 0) return { ok: false, message: error.message, offset: error.offset }
    cutoff = cutShort
  }
  // Stopped by a budget: what was read stays, its open containers end here.
  for (const container of stack) ends.set(container, kinds.length)

  return {
    ok: true,
    doc: {
      pool: pieces.join(''),
      kinds: Uint8Array.from(kinds),
      parents: parents.toArray(),
      ends: ends.toArray(),
      depths: Uint16Array.from(depths),
      slots: slots.toArray(),
      sizes: sizes.toArray(),
      keyStarts: keyStarts.toArray(),
      valueStarts: valueStarts.toArray(),
      valueEnds: valueEnds.toArray(),
      cutoff
    }
  }
}

export function nodeCount(doc: JsonDoc): number {
  return doc.kinds.length
}

export function nodeKey(doc: JsonDoc, node: number): string {
  return doc.pool.slice(doc.keyStarts[node]!, doc.valueStarts[node]!)
}

/** A string's text or a number's literal ('' for other kinds). */
export function nodeValue(doc: JsonDoc, node: number): string {
  return doc.pool.slice(doc.valueStarts[node]!, doc.valueEnds[node]!)
}

export function isContainer(doc: JsonDoc, node: number): boolean {
  return doc.kinds[node] === JSON_OBJECT || doc.kinds[node] === JSON_ARRAY
}

/** Whether the parent is an object (the node has a key). */
export function hasKey(doc: JsonDoc, node: number): boolean {
  const parent = doc.parents[node]!
  return parent >= 0 && doc.kinds[parent] === JSON_OBJECT
}

/** Whether another sibling follows (the node's line ends with a comma). */
export function hasNextSibling(doc: JsonDoc, node: number): boolean {
  const parent = doc.parents[node]!
  return parent >= 0 && doc.ends[node]! < doc.ends[parent]!
}

/** Scalar as JSON source text (strings escaped and quoted), for display and copying. */
export function formatJsonScalar(doc: JsonDoc, node: number): string {
  switch (doc.kinds[node]) {
    case JSON_STRING:
      return JSON.stringify(nodeValue(doc, node))
    case JSON_NUMBER:
      return nodeValue(doc, node)
    case JSON_TRUE:
      return 'true'
    case JSON_FALSE:
      return 'false'
    case JSON_NULL:
      return 'null'
    default:
      return ''
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** JSONPath of a node, as `$.items[3].id` or `$["a key"]`: what "Copy path" puts on the clipboard. */
export function jsonPath(doc: JsonDoc, node: number): string {
  const parts: string[] = []
  for (let i = node; doc.parents[i]! >= 0; i = doc.parents[i]!) {
    if (hasKey(doc, i)) {
      const key = nodeKey(doc, i)
      parts.push(IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`)
    } else {
      parts.push(`[${doc.slots[i]}]`)
    }
  }
  return '$' + parts.reverse().join('')
}

/**
 * A node as JSON text, indented by two spaces: what "Copy value" puts on the clipboard (a string
 * scalar gives its text, unquoted). Keys and literals come out exactly as parsed, duplicates kept.
 */
export function jsonText(doc: JsonDoc, node: number): string {
  if (doc.kinds[node] === JSON_STRING) return nodeValue(doc, node)
  if (!isContainer(doc, node)) return formatJsonScalar(doc, node)
  const out: string[] = []
  const base = doc.depths[node]!
  const end = doc.ends[node]!
  // Containers still open at node i, innermost last, to close them once their subtree is done.
  const open: number[] = []
  const closeUpTo = (i: number): void => {
    while (open.length > 0 && doc.ends[open[open.length - 1]!]! <= i) {
      const container = open.pop()!
      const pad = '  '.repeat(doc.depths[container]! - base)
      const close = doc.kinds[container] === JSON_OBJECT ? '}' : ']'
      out.push(doc.sizes[container] === 0 ? close : `\n${pad}${close}`)
      if (container !== node && hasNextSibling(doc, container)) out.push(',')
    }
  }
  for (let i = node; i < end; i++) {
    closeUpTo(i)
    if (i !== node) out.push('\n' + '  '.repeat(doc.depths[i]! - base))
    if (i !== node && hasKey(doc, i)) out.push(JSON.stringify(nodeKey(doc, i)) + ': ')
    if (isContainer(doc, i)) {
      out.push(doc.kinds[i] === JSON_OBJECT ? '{' : '[')
      open.push(i)
    } else {
      out.push(formatJsonScalar(doc, i))
      if (hasNextSibling(doc, i)) out.push(',')
    }
  }
  closeUpTo(end)
  return out.join('')
}
