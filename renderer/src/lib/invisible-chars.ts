/**
 * Characters that change how text reads without being seen: bidirectional controls (a
 * "\u202Eevil.exe\u202C" shows as "exe.live"), zero-width and other invisible format characters,
 * C0/C1 controls, line/paragraph separators, Unicode tag characters and lone surrogates. Body
 * views replace each with a visible marker, so what is shown is what was sent.
 */

export type RevealedPiece = string | { marker: string; name: string; code: number }

const NAMES: Record<number, [abbreviation: string, name: string]> = {
  0x00: ['NUL', 'NULL'],
  0x1b: ['ESC', 'ESCAPE'],
  0x7f: ['DEL', 'DELETE'],
  0x85: ['NEL', 'NEXT LINE'],
  0xad: ['SHY', 'SOFT HYPHEN'],
  0x034f: ['CGJ', 'COMBINING GRAPHEME JOINER'],
  0x061c: ['ALM', 'ARABIC LETTER MARK'],
  0x115f: ['HCF', 'HANGUL CHOSEONG FILLER'],
  0x1160: ['HJF', 'HANGUL JUNGSEONG FILLER'],
  0x17b4: ['KIVAQ', 'KHMER VOWEL INHERENT AQ'],
  0x17b5: ['KIVAA', 'KHMER VOWEL INHERENT AA'],
  0x180e: ['MVS', 'MONGOLIAN VOWEL SEPARATOR'],
  0x200b: ['ZWSP', 'ZERO WIDTH SPACE'],
  0x200c: ['ZWNJ', 'ZERO WIDTH NON-JOINER'],
  0x200d: ['ZWJ', 'ZERO WIDTH JOINER'],
  0x200e: ['LRM', 'LEFT-TO-RIGHT MARK'],
  0x200f: ['RLM', 'RIGHT-TO-LEFT MARK'],
  0x2028: ['LSEP', 'LINE SEPARATOR'],
  0x2029: ['PSEP', 'PARAGRAPH SEPARATOR'],
  0x202a: ['LRE', 'LEFT-TO-RIGHT EMBEDDING'],
  0x202b: ['RLE', 'RIGHT-TO-LEFT EMBEDDING'],
  0x202c: ['PDF', 'POP DIRECTIONAL FORMATTING'],
  0x202d: ['LRO', 'LEFT-TO-RIGHT OVERRIDE'],
  0x202e: ['RLO', 'RIGHT-TO-LEFT OVERRIDE'],
  0x2060: ['WJ', 'WORD JOINER'],
  0x2061: ['FA', 'FUNCTION APPLICATION'],
  0x2062: ['IT', 'INVISIBLE TIMES'],
  0x2063: ['IS', 'INVISIBLE SEPARATOR'],
  0x2064: ['IP', 'INVISIBLE PLUS'],
  0x2066: ['LRI', 'LEFT-TO-RIGHT ISOLATE'],
  0x2067: ['RLI', 'RIGHT-TO-LEFT ISOLATE'],
  0x2068: ['FSI', 'FIRST STRONG ISOLATE'],
  0x2069: ['PDI', 'POP DIRECTIONAL ISOLATE'],
  0x3164: ['HF', 'HANGUL FILLER'],
  0xfeff: ['BOM', 'ZERO WIDTH NO-BREAK SPACE (byte order mark)'],
  0xffa0: ['HWHF', 'HALFWIDTH HANGUL FILLER'],
  0xfff9: ['IAA', 'INTERLINEAR ANNOTATION ANCHOR'],
  0xfffa: ['IAS', 'INTERLINEAR ANNOTATION SEPARATOR'],
  0xfffb: ['IAT', 'INTERLINEAR ANNOTATION TERMINATOR']
}

/**
 * One alternative per kind; no `u` flag, so lone surrogates (not valid in a `u` pattern) match
 * too. Tab, LF and CR are left alone (shown by "line ends" instead). Tag characters are
 * U+E0000–U+E007F, i.e. \uDB40 followed by \uDC00–\uDC7F.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: U+034F (combining grapheme joiner) is in the class on purpose: it is one of the invisibles flagged
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\ufff9-\ufffb]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

export function hasInvisibles(text: string): boolean {
  INVISIBLE.lastIndex = 0
  return INVISIBLE.test(text)
}

/**
 * Markers drawn per piece of text (a row of a view). Each is an element: a line of 4,000 NULs would
 * be 4,000 of them. Past this many, the rest are shown in the text itself as a picture character
 * (␀ for NUL, ⍰ for the others): still visible, never acting on the text around them.
 */
export const MAX_MARKERS = 64

/** Stands in for an invisible character past MAX_MARKERS: C0 controls and DEL have Control Pictures. */
export function pictureOf(chars: string): string {
  const code = chars.charCodeAt(0)
  if (chars.length === 1 && code < 0x20) return String.fromCharCode(0x2400 + code)
  if (code === 0x7f) return '\u2421'
  return '\u2370'
}

/**
 * `text` cut into plain runs and markers; a single string when there is nothing to reveal. Past
 * `maxMarkers`, invisible characters are replaced in the plain runs by their picture (pictureOf).
 */
export function revealInvisibles(text: string, maxMarkers = MAX_MARKERS): RevealedPiece[] {
  INVISIBLE.lastIndex = 0
  if (!INVISIBLE.test(text)) return [text]
  const pieces: RevealedPiece[] = []
  let run = ''
  let last = 0
  let markers = 0
  INVISIBLE.lastIndex = 0
  for (let match = INVISIBLE.exec(text); match; match = INVISIBLE.exec(text)) {
    run += text.slice(last, match.index)
    if (markers < maxMarkers) {
      if (run) pieces.push(run)
      run = ''
      pieces.push(describe(match[0]))
      markers++
    } else {
      run += pictureOf(match[0])
    }
    last = match.index + match[0].length
  }
  run += text.slice(last)
  if (run) pieces.push(run)
  return pieces
}

function describe(chars: string): { marker: string; name: string; code: number } {
  const code = chars.codePointAt(0)!
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  if (chars.length === 1 && code >= 0xd800 && code <= 0xdfff) return { marker: 'LONE', name: `${hex} lone surrogate (not a character)`, code }
  if (code >= 0xe0000) return { marker: 'TAG', name: `${hex} TAG ${tagLabel(code)}`, code }
  const known = NAMES[code]
  if (known) return { marker: known[0], name: `${hex} ${known[1]}`, code }
  return { marker: hex, name: `${hex} control character`, code }
}

function tagLabel(code: number): string {
  const ascii = code - 0xe0000
  return ascii >= 0x20 && ascii < 0x7f ? `'${String.fromCharCode(ascii)}'` : 'CANCEL'
}
