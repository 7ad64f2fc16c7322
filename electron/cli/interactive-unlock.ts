import { isEngineError } from '../../shared/errors'
import type { Engine } from '../engine'
import { createLocalClient } from '../engine/local-client'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'

const TRIES = 3

/**
 * When no passphrase was given and a terminal can be asked: unlocks a passphrase-protected keyring
 * (Enter skips: the command then runs with the keyring locked), or, when the command needs the
 * keyring and there is none yet, creates it with a passphrase typed twice. Three wrong passphrases
 * end the command.
 */
export async function unlockInteractively(engine: Engine, context: CliContext, needsKeyring: boolean): Promise<void> {
  const ask = context.askPassphrase
  if (context.passphrase !== undefined || !ask) return
  const client = createLocalClient(engine)
  const status = await client.invoke('vault.status', {})
  if (status.state === 'locked' && status.protections.includes('passphrase')) {
    for (let attempt = 1; attempt <= TRIES; attempt++) {
      const passphrase = await ask(needsKeyring ? 'Keyring passphrase:' : 'Keyring passphrase (Enter to skip; deliveries are then not verified):')
      if (passphrase === null || passphrase === '') return
      try {
        await client.invoke('vault.unlock', { passphrase })
        return
      } catch (error) {
        if (!isEngineError(error) || error.code !== 'BAD_PASSPHRASE') throw error
        context.out(`hookscope: that passphrase does not unlock the keyring${attempt < TRIES ? '; try again' : ''}`, 'stderr')
      }
    }
    throw new CliFailure(`the keyring stayed locked after ${TRIES} wrong passphrases`)
  }
  if (status.state === 'uninitialized' && needsKeyring) {
    for (let attempt = 1; attempt <= TRIES; attempt++) {
      const first = await ask('New keyring passphrase (at least 8 characters):')
      if (first === null || first === '') return
      if (first.length < 8) {
        context.out('hookscope: at least 8 characters', 'stderr')
        continue
      }
      const again = await ask('The same passphrase again:')
      if (again === null) return
      if (again === first) {
        await client.invoke('vault.setPassphrase', { passphrase: first })
        return
      }
      context.out('hookscope: the two passphrases differ', 'stderr')
    }
  }
}
