import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { quoteAnsiC, quoteShellArg } from '../../../shared/lib/shell-quote'

/** What the shell actually passes as argv[1] for `word`, as bytes. */
function argvBytes(shell: string, word: string): Buffer {
  return execFileSync(shell, ['-c', `printf '%s' ${word}`])
}

describe('quoteShellArg', () => {
  const nasty = ['', 'plain', "it's", '$(touch /tmp/pwned) `id` $HOME', 'back\\slash\\', 'line1\nline2', 'bang! !!', 'tab\there', 'é😀', "''''", '*?[a]~']

  it('survives bash and dash unchanged', () => {
    for (const value of nasty) {
      for (const shell of ['bash', 'sh']) {
        expect(argvBytes(shell, quoteShellArg(value)).toString('utf8'), `${shell}: ${value}`).toBe(value)
      }
    }
  })

  it('leaves plainly safe words bare', () => {
    expect(quoteShellArg('POST')).toBe('POST')
    expect(quoteShellArg('a b')).toBe("'a b'")
  })
})

describe('quoteAnsiC', () => {
  it('passes arbitrary non-NUL bytes through bash exactly', () => {
    const bytes = Uint8Array.from({ length: 255 }, (_, i) => i + 1)
    expect(argvBytes('bash', quoteAnsiC(bytes)).equals(Buffer.from(bytes))).toBe(true)
  })
})
