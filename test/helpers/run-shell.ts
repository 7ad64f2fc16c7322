import { spawn } from 'node:child_process'

/**
 * Runs a command as if pasted into bash (fed on stdin, so no argv size limit), with ` -sS`
 * appended for curl commands; resolves with its stdout. Killed after `timeoutMs`.
 */
export function runCurlInBash(script: string, options: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10_000)
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(stdout)
      else reject(new Error(`bash exited ${code}: ${stderr}`))
    })
    child.stdin.end(`${script} -sS\n`)
  })
}
