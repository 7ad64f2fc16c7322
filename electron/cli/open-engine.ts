import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { VaultStatus } from '../../shared/api/contract'
import { isEngineError } from '../../shared/errors'
import { createEngine, type Engine, type EngineConfig } from '../engine'
import { systemClock } from '../engine/clock'
import { ENGINE_FILE } from '../engine/http/engine-file'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'
import { unlockInteractively } from './interactive-unlock'

/** Written by `listen` for TLS endpoints (the CA certificate, public), so clients can trust it while it runs. */
export const LISTEN_CA_FILE = 'hookscope-ca.pem'

/**
 * The engine over `dataDir`, unlocked with the passphrase when given, else (on a terminal) with one
 * typed at a prompt; `needsKeyring`: the command cannot work without it, so a missing keyring is
 * created at the prompt. `command` names the command for the message when another Hookscope holds
 * the folder (one engine per folder).
 */
export async function openEngine(
  dataDir: string,
  context: CliContext,
  command: string,
  options: { needsKeyring?: boolean } & Pick<EngineConfig, 'durability'> = {}
): Promise<Engine> {
  const { needsKeyring = false, ...config } = options
  const engine = await createEngineFor(dataDir, context, command, config)
  try {
    await unlockInteractively(engine, context, needsKeyring)
  } catch (error) {
    await engine.stop()
    throw error
  }
  return engine
}

async function createEngineFor(dataDir: string, context: CliContext, command: string, options: Pick<EngineConfig, 'durability'>): Promise<Engine> {
  try {
    return await createEngine(
      { dataDir, host: 'headless', version: context.version, passphrase: context.passphrase, ...options },
      { clock: systemClock, logger: context.logger }
    )
  } catch (error) {
    if (isEngineError(error) && error.code === 'STORE_LOCKED' && command !== 'listen') {
      throw new CliFailure(lockedMessage(dataDir, command, error.message))
    }
    // EngineErrors (STORE_*) already read well; a system error (the path is a file, no space...) gets a sentence.
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    if (isEngineError(error) || typeof code !== 'string') throw error
    throw new CliFailure(`cannot use the data folder ${dataDir}: ${(error as Error).message}`)
  }
}

function lockedMessage(dataDir: string, command: string, engineMessage: string): string {
  const caCopy = join(dataDir, LISTEN_CA_FILE)
  const hint = command === 'ca export' && existsSync(caCopy) ? ` (a running \`hookscope listen --https\` keeps a copy of the CA certificate in ${caCopy})` : ''
  // A running `hookscope listen` or desktop app is reached through its engine file
  // (engine-connection.ts): what holds the folder here wrote none, or its API did not answer.
  return (
    `${engineMessage}. \`hookscope ${command}\` goes through the Hookscope holding the folder (\`hookscope listen\` or the desktop app) ` +
    `when it answers through ${join(dataDir, ENGINE_FILE)}, and this one does not (an older Hookscope, or one whose local API ` +
    `did not start: its log says why): close it, run this command, then start it again${hint}`
  )
}

/**
 * The sentence for a TLS action that needs the keyring (sealed private keys), or null when it is
 * unlocked. `what` completes "… needs the keyring unlocked", e.g. "an https endpoint".
 */
export function keyringProblem(status: VaultStatus, passphraseGiven: boolean, what: string): string | null {
  if (status.state === 'unlocked') return null
  if (!passphraseGiven) {
    return (
      `${what} needs the keyring unlocked (private keys are stored sealed): set HOOKSCOPE_PASSPHRASE ` +
      `(at least 8 characters; on first use it creates the keyring), or HOOKSCOPE_PASSPHRASE_FILE naming a file ` +
      `that holds it, and run the command again; run from a terminal, it asks for it`
    )
  }
  if (!status.protections.includes('passphrase')) {
    return `${what} needs the keyring unlocked, and this data folder's keyring is protected by the desktop app's OS keychain only: set a passphrase for it in the desktop app, then use it as HOOKSCOPE_PASSPHRASE`
  }
  return `${what} needs the keyring unlocked, and HOOKSCOPE_PASSPHRASE did not unlock it`
}
