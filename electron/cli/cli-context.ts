import type { Logger } from '../engine/engine-types'
import type { AskPassphrase } from './passphrase-input'

/** What commands get from the process, injected so they can be driven in-process by tests. */
export interface CliContext {
  version: string
  /** Repository or package root (holds out/renderer). */
  appRoot: string
  logger: Logger
  /** HOOKSCOPE_PASSPHRASE_FILE or HOOKSCOPE_PASSPHRASE: unlocks (or creates) the passphrase-protected keyring. */
  passphrase?: string
  /** Present when standard input is a terminal: asks for the passphrase without echo (passphrase-input.ts). */
  askPassphrase?: AskPassphrase
  /** HOOKSCOPE_P12_PASSWORD: `cert client` also writes a PKCS#12 file under this password. */
  p12Password?: string
  /** HOOKSCOPE_RELAY_ADMIN_TOKEN: `relay-server`'s admin token, kept out of `ps` output. */
  relayAdminToken?: string
  /** HOOKSCOPE_TUNNEL_TOKEN: `listen --tunnel`'s client token, kept out of `ps` output. */
  tunnelToken?: string
  out(line: string, stream?: 'stdout' | 'stderr'): void
  /** stdout for a stream of lines (one per delivery): never blocks, never throws, lines joined per write. */
  print(text: string): void
  /** Resolves with the name of the first SIGINT/SIGTERM. */
  waitForSignal(): Promise<string>
}
