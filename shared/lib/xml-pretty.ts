/**
 * Re-indents XML as text. It never builds a DOM (the payload is attacker-controlled and is only
 * ever shown as text) and never throws: malformed input comes back best-effort, nothing dropped
 * except whitespace-only text between tags.
 */

type Token =
  | { kind: 'open'; text: string; name: string }
  | { kind: 'close'; text: string; name: string }
  | { kind: 'empty' | 'other'; text: string }
  | { kind: 'text'; text: string }

const INDENT = '  '

export function prettyXml(xml: string): string {
  const tokens = tokenize(xml)
  const lines: string[] = []
  let depth = 0
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    const pad = INDENT.repeat(depth)
    switch (token.kind) {
      case 'open': {
        // <a>text</a> and <a></a> stay on one line.
        const next = tokens[i + 1]
        const after = tokens[i + 2]
        if (next?.kind === 'close' && next.name === token.name) {
          lines.push(pad + token.text + next.text)
          i += 1
        } else if (next?.kind === 'text' && after?.kind === 'close' && after.name === token.name) {
          lines.push(pad + token.text + next.text.trim() + after.text)
          i += 2
        } else {
          lines.push(pad + token.text)
          depth++
        }
        break
      }
      case 'close':
        depth = Math.max(0, depth - 1)
        lines.push(INDENT.repeat(depth) + token.text)
        break
      case 'text': {
        const text = token.text.trim()
        if (text) lines.push(pad + text)
        break
      }
      default:
        lines.push(pad + token.text)
    }
  }
  return lines.join('\n')
}

function tokenize(xml: string): Token[] {
  const tokens: Token[] = []
  const pushText = (text: string): void => {
    const last = tokens[tokens.length - 1]
    if (last?.kind === 'text') last.text += text
    else tokens.push({ kind: 'text', text })
  }
  let pos = 0
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos)
    if (lt !== pos) {
      const end = lt < 0 ? xml.length : lt
      pushText(xml.slice(pos, end))
      pos = end
      continue
    }
    const end = markupEnd(xml, pos)
    if (end < 0) {
      // A stray '<' (as in "a < b"): it is text.
      pushText('<')
      pos++
      continue
    }
    const token = classify(xml.slice(pos, end))
    if (token.kind === 'text') pushText(token.text)
    else tokens.push(token)
    pos = end
  }
  return tokens
}

/**
 * Index just past the markup starting at `start` ('<'); -1 when a tag meets another '<' first
 * (then the '<' is text). Every scan stops at the next '<' or consumes the rest, so malicious
 * input cannot make this quadratic.
 */
function markupEnd(xml: string, start: number): number {
  const closeAfter = (terminator: string, from: number): number => {
    const at = xml.indexOf(terminator, from)
    // Unterminated comment/CDATA/PI: the rest is shown verbatim.
    return at < 0 ? xml.length : at + terminator.length
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
      else if (c === '>' && brackets === 0) return i + 1
    }
    return xml.length
  }
  // A tag: '>' in a quoted attribute value does not close it; '<' is never legal inside one.
  let quote = ''
  for (let i = start + 1; i < xml.length; i++) {
    const c = xml[i]!
    if (c === '<') return -1
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '>') return i + 1
  }
  return -1
}

function classify(text: string): Token {
  if (text.startsWith('</')) return { kind: 'close', text, name: tagName(text.slice(2)) }
  if (text.startsWith('<!') || text.startsWith('<?')) return { kind: 'other', text }
  if (text.endsWith('/>')) return { kind: 'empty', text }
  const name = tagName(text.slice(1))
  return name ? { kind: 'open', text, name } : { kind: 'text', text }
}

function tagName(rest: string): string {
  return /^[^\s/>]+/.exec(rest)?.[0] ?? ''
}
