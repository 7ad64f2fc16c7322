import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(__dirname, '..', '..')
const bin = join(root, 'bin', 'hookscope.js')

/** Runs the built CLI to completion (bounded) and returns its exit code and output. */
export function runCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}) {
  if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` first')
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}
