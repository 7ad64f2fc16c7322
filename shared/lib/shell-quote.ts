/**
 * Quoting for POSIX shells (sh, bash, zsh). Single quotes keep every byte literal (no `$`,
 * backtick, backslash or `!` expansion), so they are the default; only NUL cannot be expressed.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/

/** `value` as one shell word: bare when it is plainly safe, else single-quoted. */
export function quoteShellArg(value: string): string {
  if (SAFE.test(value)) return value
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/**
 * Bytes as a bash/zsh ANSI-C string `$'…'`, for the rare word single quotes cannot carry
 * faithfully through a clipboard (bytes that are not UTF-8 text). Not POSIX sh.
 * `!` is escaped too, so pasting into an interactive bash cannot trigger history expansion.
 */
export function quoteAnsiC(bytes: Uint8Array): string {
  let out = "$'"
  for (const b of bytes) {
    const plain = b >= 0x20 && b <= 0x7e && b !== 0x27 && b !== 0x5c && b !== 0x21
    out += plain ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`
  }
  return out + "'"
}
