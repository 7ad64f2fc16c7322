import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { isEngineError } from '../../shared/errors'
import { defaultDataDir } from '../engine/default-data-dir'
import { DATABASE_FILE } from '../engine/store/open-database'
import { trustInstructions } from '../engine/tls/certificate-export'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'
import { connectEngine, unlockedKeyring } from './engine-connection'
import { keyringProblem } from './open-engine'
import { modeInDataDir, refuseStoreFiles, writeFileWithMode, writeStdout } from './output-files'
import { parseFlags } from './parse-flags'
import { UsageError } from './usage-error'

/**
 * `hookscope ca export [--format pem|der] [--out FILE] [--data DIR]`: the local CA certificate
 * (never its key). An existing CA exports without the keyring; creating the CA (first use)
 * seals its key, so that needs HOOKSCOPE_PASSPHRASE.
 */
export async function caCommand(args: string[], context: CliContext, stdout: Writable & { isTTY?: boolean }): Promise<number> {
  const [subcommand, ...rest] = args
  if (subcommand === undefined || subcommand.startsWith('-')) throw new UsageError('missing subcommand: hookscope ca export ...')
  if (subcommand !== 'export') throw new UsageError(`unknown subcommand "ca ${subcommand}" (try: ca export)`)
  const flags = parseFlags(rest, {
    format: { type: 'string' },
    out: { type: 'string' },
    data: { type: 'string' }
  })
  const format = flags.format ?? 'pem'
  if (format !== 'pem' && format !== 'der') throw new UsageError(`--format must be pem or der, not "${format}"`)
  const dataDir = resolve(flags.data ?? defaultDataDir())
  const target = flags.out ? resolve(flags.out) : null
  if (target) refuseStoreFiles(dataDir, [target], '--out')
  if (!target && format === 'der' && stdout.isTTY) {
    throw new UsageError('DER is binary: pass --out FILE, or redirect standard output to a file')
  }
  const passphraseGiven = context.passphrase !== undefined
  // Nothing to export and nothing to create it with: say so without creating an empty data folder.
  if (!passphraseGiven && !existsSync(join(dataDir, DATABASE_FILE))) throw new CliFailure(noCaMessage(dataDir, passphraseGiven))

  // Through the running `hookscope listen` when there is one. No prompt: an existing CA exports without the keyring.
  const connection = await connectEngine(dataDir, { ...context, askPassphrase: undefined }, 'ca export')
  let bytes: Buffer
  try {
    const exportCa = async () => Buffer.from((await connection.client.invoke('certificates.exportCa', { format })).contentBase64, 'base64')
    try {
      bytes = await exportCa()
    } catch (error) {
      if (!isEngineError(error) || error.code !== 'VAULT_LOCKED') throw error
      // No CA yet, and creating one seals its key: a running engine's keyring may unlock with the passphrase.
      const problem = await unlockedKeyring(connection, context, 'creating it')
      if (problem) throw new CliFailure(noCaMessage(dataDir, passphraseGiven, problem))
      bytes = await exportCa()
    }
  } finally {
    await connection.close()
  }

  if (!target) {
    await writeStdout(stdout, bytes)
    return 0
  }
  writeFileWithMode(target, bytes, modeInDataDir(target, dataDir, 0o644))
  if (format === 'pem') context.out(trustInstructions(target), 'stderr')
  else context.out(`hookscope: wrote the CA certificate (DER) to ${target}`, 'stderr')
  return 0
}

function noCaMessage(dataDir: string, passphraseGiven: boolean, problem?: string | null): string {
  const why = problem ?? keyringProblem({ state: 'uninitialized', protections: [] }, passphraseGiven, 'creating it')
  return `there is no local CA in ${dataDir} yet; ${why}`
}
