import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isEngineError } from '../../shared/errors'
import { createConsoleLogger } from '../engine/logger'
import { caCommand } from './ca-command'
import { certCommand } from './cert-command'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'
import { exportCommand } from './export-command'
import { listenCommand } from './listen-command'
import { nonBlockingLines } from './nonblocking-lines'
import { resolvePassphrase, terminalPrompt } from './passphrase-input'
import { relayServerCommand } from './relay-server-command'
import { replayCommand } from './replay-command'
import { sendCommand } from './send-command'
import { USAGE } from './usage'
import { UsageError } from './usage-error'
import { verifyCommand } from './verify-command'

/**
 * Exit codes: 0 done, 1 a runtime failure (store, port, locked keyring, data folder in use),
 * 2 bad flags or values. `verify` also exits 1 for an invalid signature; `replay` and `send`
 * exit 1 when an answer is not 2xx (or there is none).
 */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const [command, ...args] = argv
  try {
    switch (command) {
      case 'listen':
        return await listenCommand(args, context)
      case 'relay-server':
        return await relayServerCommand(args, context)
      case 'verify':
        return await verifyCommand(args, context)
      case 'export':
        return await exportCommand(args, context, process.stdout)
      case 'ca':
        return await caCommand(args, context, process.stdout)
      case 'cert':
        return await certCommand(args, context)
      case 'replay':
        return await replayCommand(args, context)
      case 'send':
        return await sendCommand(args, context)
      case 'help':
      case '--help':
      case '-h':
        context.out(USAGE)
        return 0
      case undefined:
        throw new UsageError('missing command')
      default:
        throw new UsageError(`unknown command "${command}"`)
    }
  } catch (error) {
    if (error instanceof UsageError) {
      context.out(`hookscope: ${error.message}\n\n${USAGE}`, 'stderr')
      return 2
    }
    if (isEngineError(error) || error instanceof CliFailure) {
      context.out(`hookscope: ${error.message}`, 'stderr')
      return 1
    }
    throw error
  }
}

function processContext(appRoot: string): CliContext | { error: string } {
  const pkg = JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }
  const source = resolvePassphrase(process.env)
  const p12Password = process.env.HOOKSCOPE_P12_PASSWORD
  const relayAdminToken = process.env.HOOKSCOPE_RELAY_ADMIN_TOKEN
  const tunnelToken = process.env.HOOKSCOPE_TUNNEL_TOKEN
  // Read once, then out of the environment: nothing this process starts should inherit them (the
  // kernel's copy in /proc/<pid>/environ stays: README, Security).
  delete process.env.HOOKSCOPE_PASSPHRASE
  delete process.env.HOOKSCOPE_PASSPHRASE_FILE
  delete process.env.HOOKSCOPE_P12_PASSWORD
  delete process.env.HOOKSCOPE_RELAY_ADMIN_TOKEN
  delete process.env.HOOKSCOPE_TUNNEL_TOKEN
  if ('error' in source) return { error: source.error }
  if (source.warning) process.stderr.write(`hookscope: ${source.warning}\n`)
  return {
    version: pkg.version,
    appRoot,
    passphrase: source.passphrase,
    // Asked only on a terminal, and never when a passphrase was given (CI has no terminal).
    askPassphrase: process.stdin.isTTY ? terminalPrompt(process.stdin, process.stderr) : undefined,
    p12Password: p12Password || undefined,
    relayAdminToken: relayAdminToken || undefined,
    tunnelToken: tunnelToken || undefined,
    logger: createConsoleLogger({ level: process.env.HOOKSCOPE_LOG_LEVEL === 'debug' ? 'debug' : 'info' }),
    out: (line, stream = 'stdout') => (stream === 'stdout' ? process.stdout : process.stderr).write(line + '\n'),
    print: nonBlockingLines(1),
    waitForSignal: () =>
      new Promise((resolve) => {
        const onSignal = (signal: NodeJS.Signals) => {
          // A second signal while stopping means "now".
          process.once('SIGINT', () => process.exit(130))
          process.once('SIGTERM', () => process.exit(143))
          resolve(signal)
        }
        process.once('SIGINT', onSignal)
        process.once('SIGTERM', onSignal)
      })
  }
}

// A reader that went away (`hookscope listen | head -3`) must not end the process: writes to it are
// dropped (EPIPE), capture goes on.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
  })
}

// Built to out/main/cli.js; the app root is two levels up.
const appRoot = join(__dirname, '..', '..')
const context = processContext(appRoot)
if ('error' in context) {
  process.stderr.write(`hookscope: ${context.error}\n`)
  process.exitCode = 1
} else {
  runCli(process.argv.slice(2), context).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(`hookscope: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`)
      process.exitCode = 1
    }
  )
}
