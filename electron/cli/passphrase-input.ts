import { readFileSync, statSync } from 'node:fs'
import type { Readable, Writable } from 'node:stream'
import { read } from 'read'

/**
 * Where the keyring passphrase comes from in the CLI, in order:
 * - HOOKSCOPE_PASSPHRASE_FILE: a file holding it (one trailing newline is dropped). Nothing of the
 *   passphrase is in this process's environment, so /proc/<pid>/environ does not show it.
 * - HOOKSCOPE_PASSPHRASE: for CI. It is removed from process.env once read, so child processes do
 *   not inherit it, but the kernel keeps the initial environment: /proc/<pid>/environ shows it to
 *   the same user and to root for as long as the process runs.
 * - an interactive prompt, without echo, when standard input is a terminal and neither is set.
 */
export type PassphraseSource = { passphrase?: string; warning?: string } | { error: string }

export function resolvePassphrase(env: NodeJS.ProcessEnv, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): PassphraseSource {
  const file = env.HOOKSCOPE_PASSPHRASE_FILE
  const variable = env.HOOKSCOPE_PASSPHRASE
  if (file && variable) return { error: 'set HOOKSCOPE_PASSPHRASE_FILE or HOOKSCOPE_PASSPHRASE, not both' }
  if (!file) return { passphrase: variable || undefined }
  let text: string
  try {
    text = readFile(file)
  } catch (error) {
    return { error: `cannot read HOOKSCOPE_PASSPHRASE_FILE ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` }
  }
  const passphrase = text.replace(/\r?\n$/, '')
  if (passphrase === '') return { error: `HOOKSCOPE_PASSPHRASE_FILE ${file} is empty` }
  return { passphrase, warning: readableByOthers(file) ? `HOOKSCOPE_PASSPHRASE_FILE ${file} is readable by other users (chmod 600 it)` : undefined }
}

function readableByOthers(path: string): boolean {
  if (process.platform === 'win32') return false
  try {
    return (statSync(path).mode & 0o044) !== 0
  } catch {
    return false
  }
}

/** Asks one question without echo; null when the user cancels (Ctrl-C, Ctrl-D). */
export type AskPassphrase = (question: string) => Promise<string | null>

/** A prompt on a terminal: the question on `output`, the answer read from `input` with echo off. */
export function terminalPrompt(input: Readable, output: Writable): AskPassphrase {
  return async (question) => {
    try {
      return String(await read({ prompt: question, silent: true, replace: '', input, output, terminal: true }))
    } catch {
      output.write('\n')
      return null
    } finally {
      // read() leaves the terminal's input flowing; let the process exit when it is done.
      input.pause()
    }
  }
}
