import type { Clock, Cutoff } from './budget'
import { Deadline, IntColumn } from './budget'
import type { LineDoc } from './line-doc'

/**
 * Re-indents XML into rows. It never builds a DOM, never expands an entity and never fetches
 * anything (the payload is attacker-controlled and only ever shown as text), and never throws:
 * malformed input comes back best-effort, nothing dropped except whitespace-only text between
 * tags. Indentation is a number per row, not spaces in a string: 60,000 unclosed tags cost 60,000
 * small numbers, not 3.6 billion spaces (issue 12's RangeError). Work is linear in the input.
 */

export interface XmlDoc extends LineDoc {
  depths: Uint16Array<ArrayBuffer>
  /** Why this is not XML at all (the view says "Not XML" and shows nothing), or null. */
  notXml: string | null
  /** The first well-formedness problem (mismatched or unclosed tag), or null. Shown best-effort anyway. */
  problem: string | null
}

export interface XmlLimits {
  maxRows: number
  /** Indentation stops growing here (rows deeper are shown at this level, with a cutoff notice). */
  maxDepth: number
  maxMillis: number
}

/**
 * Counts the characters the tokenizer examines. Optional: tests pass one to prove the scan is
 * linear (each character looked at a bounded number of times) without timing anything.
 */
export interface ScanMeter {
  chars: number
}

type Token =
  | { kind: 'open'; text: string; name: string; at: number }
  | { kind: 'close'; text: string; name: string; at: number }
  | { kind: 'empty' | 'other'; text: string; at: number }
  | { kind: 'text'; text: string; at: number }

/** Open element names remembered for the well-formedness check; deeper than this it is not checked. */
const MAX_TRACKED_NESTING = 10_000
const MAX_NAME_IN_MESSAGE = 60

export function formatXml(xml: string, limits: XmlLimits, clock: Clock, meter: ScanMeter = { chars: 0 }): XmlDoc {
  const start = firstNonWhitespace(xml)
  if (start >= xml.length || xml[start] !== '<') {
    return notXml(start >= xml.length ? 'the body is only whitespace' : "the body does not start with '<'")
  }

  const tokens = new TokenStream(xml, start, meter)
  const pieces: string[] = []
  const starts = new IntColumn()
  const depths: number[] = []
  const deadline = new Deadline(clock, limits.maxMillis, 256)
  const open: string[] = []
  let offset = 0
  let cutoff: Cutoff | null = null
  let problem: string | null = null
  /** Opened beyond MAX_TRACKED_NESTING: closed without a check. */
  let untracked = 0
  let elements = 0
  let depth = 0

  /** One row per line of `text` (a tag or text may span lines); false once the budget is spent. */
  const emit = (level: number, text: string): boolean => {
    if (level > limits.maxDepth) {
      cutoff ??= { limit: 'depth', at: limits.maxDepth, unit: 'levels' }
      level = limits.maxDepth
    }
    for (const line of text.split('\n')) {
      if (starts.length >= limits.maxRows) {
        cutoff = { limit: 'items', at: starts.length, unit: 'lines' }
        return false
      }
      if (deadline.passed()) {
        cutoff = { limit: 'time', at: limits.maxMillis, unit: 'ms' }
        return false
      }
      const row = line.endsWith('\r') ? line.slice(0, -1) : line
      starts.push(offset)
      depths.push(level)
      pieces.push(row)
      offset += row.length + 1
    }
    return true
  }

  const problemAt = (at: number, what: string): void => {
    if (problem === null) problem = `${what} (line ${lineOf(xml, at)})`
  }

  for (;;) {
    const token = tokens.next()
    if (!token) break
    let ok = true
    switch (token.kind) {
      case 'open': {
        elements++
        if (open.length < MAX_TRACKED_NESTING) open.push(token.name)
        else untracked++
        // <a>text</a> and <a></a> stay on one line.
        const next = tokens.peek(0)
        const after = tokens.peek(1)
        if (next?.kind === 'close' && next.name === token.name) {
          tokens.next()
          if (untracked > 0) untracked--
          else open.pop()
          ok = emit(depth, token.text + next.text)
        } else if (next?.kind === 'text' && after?.kind === 'close' && after.name === token.name) {
          tokens.next()
          tokens.next()
          if (untracked > 0) untracked--
          else open.pop()
          ok = emit(depth, token.text + next.text.trim() + after.text)
        } else {
          ok = emit(depth, token.text)
          depth++
        }
        break
      }
      case 'close':
        elements++
        if (untracked > 0) {
          untracked--
        } else {
          const expected = open.pop()
          if (expected === undefined) problemAt(token.at, `</${clip(token.name)}> closes nothing`)
          else if (expected !== token.name) problemAt(token.at, `</${clip(token.name)}> closes <${clip(expected)}>`)
        }
        depth = Math.max(0, depth - 1)
        ok = emit(depth, token.text)
        break
      case 'text': {
        const text = token.text.trim()
        if (text) ok = emit(depth, text)
        break
      }
      case 'empty':
        elements++
        ok = emit(depth, token.text)
        break
      default:
        ok = emit(depth, token.text)
    }
    if (!ok) break
  }

  if (elements === 0 && !cutoff) return notXml('no element in it')
  if (problem === null && open.length > 0 && !cutoff) problem = `<${clip(open[open.length - 1]!)}> is never closed`
  const text = pieces.join('\n')
  starts.push(text.length + 1)
  return { text, starts: starts.toArray(), depths: Uint16Array.from(depths), cutoff, notXml: null, problem }
}

function notXml(reason: string): XmlDoc {
  return { text: '', starts: Int32Array.of(1), depths: new Uint16Array(0), cutoff: null, notXml: reason, problem: null }
}

/** Skips whitespace and a byte order mark. */
function firstNonWhitespace(text: string): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  while (i < text.length && /\s/.test(text[i]!)) i++
  return i
}

function lineOf(text: string, at: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++
  return line
}

function clip(name: string): string {
  return name.length > MAX_NAME_IN_MESSAGE ? name.slice(0, MAX_NAME_IN_MESSAGE) + '…' : name
}

/** Tokens on demand, with a two-token lookahead; adjacent text (a stray '<' included) comes as one token. */
class TokenStream {
  private readonly ahead: Token[] = []

  constructor(
    private readonly xml: string,
    private pos: number,
    private readonly meter: ScanMeter
  ) {}

  next(): Token | undefined {
    return this.ahead.length > 0 ? this.ahead.shift() : this.read()
  }

  peek(index: number): Token | undefined {
    while (this.ahead.length <= index) {
      const token = this.read()
      if (!token) return undefined
      this.ahead.push(token)
    }
    return this.ahead[index]
  }

  private read(): Token | undefined {
    const { xml } = this
    if (this.pos >= xml.length) return undefined
    // Text is always a contiguous run of the input: sliced once at the end, never built piece by
    // piece (200,000 stray '<' would otherwise be 200,000 concatenations).
    const at = this.pos
    while (this.pos < xml.length) {
      const lt = xml.indexOf('<', this.pos)
      if (lt !== this.pos) {
        const end = lt < 0 ? xml.length : lt
        this.meter.chars += end - this.pos
        this.pos = end
        continue
      }
      const end = markupEnd(xml, this.pos, this.meter)
      if (end < 0) {
        // A stray '<' (as in "a < b"): it is text.
        this.pos++
        continue
      }
      const token = classify(xml.slice(this.pos, end), this.pos)
      if (token.kind === 'text') {
        this.pos = end
        continue
      }
      if (this.pos > at) return { kind: 'text', text: xml.slice(at, this.pos), at }
      this.pos = end
      return token
    }
    return { kind: 'text', text: xml.slice(at, this.pos), at }
  }
}

/**
 * Index just past the markup starting at `start` ('<'); -1 when a tag meets another '<' first
 * (then the '<' is text). Every scan stops at the next '<' or consumes the rest, so malicious
 * input cannot make this quadratic.
 */
function markupEnd(xml: string, start: number, meter: ScanMeter): number {
  /** `i` is the last index examined. */
  const scanned = (i: number): void => {
    meter.chars += i - start + 1
  }
  const closeAfter = (terminator: string, from: number): number => {
    const at = xml.indexOf(terminator, from)
    // Unterminated comment/CDATA/PI: the rest is shown verbatim.
    const end = at < 0 ? xml.length : at + terminator.length
    scanned(end - 1)
    return end
  }
  if (xml.startsWith('<!--', start)) return closeAfter('-->', start + 4)
  if (xml.startsWith('<![CDATA[', start)) return closeAfter(']]>', start + 9)
  if (xml.startsWith('<?', start)) return closeAfter('?>', start + 2)
  if (xml.startsWith('<!', start)) {
    // DOCTYPE and friends: '>' inside quotes or the internal subset does not close them.
    let quote = ''
    let brackets = 0
    for (let i = start + 2; i < xml.length; i++) {
      const c = xml[i]!
      if (quote) {
        if (c === quote) quote = ''
      } else if (c === '"' || c === "'") quote = c
      else if (c === '[') brackets++
      else if (c === ']') brackets = Math.max(0, brackets - 1)
      else if (c === '>' && brackets === 0) {
        scanned(i)
        return i + 1
      }
    }
    scanned(xml.length - 1)
    return xml.length
  }
  // A tag: '>' in a quoted attribute value does not close it; '<' is never legal inside one.
  let quote = ''
  for (let i = start + 1; i < xml.length; i++) {
    const c = xml[i]!
    if (c === '<') {
      scanned(i)
      return -1
    }
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '>') {
      scanned(i)
      return i + 1
    }
  }
  scanned(xml.length - 1)
  return -1
}

function classify(text: string, at: number): Token {
  if (text.startsWith('</')) return { kind: 'close', text, name: tagName(text.slice(2)), at }
  if (text.startsWith('<!') || text.startsWith('<?')) return { kind: 'other', text, at }
  if (text.endsWith('/>')) return { kind: 'empty', text, at }
  const name = tagName(text.slice(1))
  return name ? { kind: 'open', text, name, at } : { kind: 'text', text, at }
}

function tagName(rest: string): string {
  return /^[^\s/>]+/.exec(rest)?.[0] ?? ''
}
