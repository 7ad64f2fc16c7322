/** `value` as one POSIX shell word: as-is when it is plainly safe, else in single quotes. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_/.,:@%+=-]+$/.test(value)) return value
  return `'${value.replace(/'/g, `'\\''`)}'`
}
