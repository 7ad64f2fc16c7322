/**
 * Makes the characters that usually decide a BODY_CHANGED finding visible: line ends, carriage
 * returns, tabs, and trailing spaces. Text stays text (the caller renders it as a string).
 */
export function showInvisibles(text: string): string {
  return text
    .replace(/ +(?=\r?\n|$)/g, (spaces) => '·'.repeat(spaces.length))
    .replace(/\r/g, '␍')
    .replace(/\t/g, '→')
    .replace(/\n/g, '↵\n')
}
