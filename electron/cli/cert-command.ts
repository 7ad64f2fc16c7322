import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { CertificateFile } from '../../shared/api/contract'
import type { CertificateSummary } from '../../shared/model/tls'
import { defaultDataDir } from '../engine/default-data-dir'
import { DATABASE_FILE } from '../engine/store/open-database'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'
import { connectEngine, unlockedKeyring } from './engine-connection'
import { DEFAULT_ENDPOINT_ID } from './listen-command'
import { keyringProblem } from './open-engine'
import { makeDirectory, modeInDataDir, writeFileWithMode } from './output-files'
import { parseFlags } from './parse-flags'
import { shellQuote } from './shell-quote'
import { UsageError } from './usage-error'

const NAME = /^[A-Za-z0-9 ._-]{1,64}$/
const DEFAULT_LISTEN_PORT = 8080

/**
 * `hookscope cert client --name NAME --out DIR [--data DIR]`: issues a client certificate from
 * the local CA and writes NAME.crt.pem, NAME.key.pem (0600) and hookscope-ca.pem into DIR, plus
 * NAME.p12 (0600) when HOOKSCOPE_P12_PASSWORD is set. Signing and reading keys need the keyring:
 * HOOKSCOPE_PASSPHRASE.
 */
export async function certCommand(args: string[], context: CliContext): Promise<number> {
  const [subcommand, ...rest] = args
  if (subcommand === undefined || subcommand.startsWith('-')) throw new UsageError('missing subcommand: hookscope cert client ...')
  if (subcommand !== 'client') throw new UsageError(`unknown subcommand "cert ${subcommand}" (try: cert client)`)
  const flags = parseFlags(rest, {
    name: { type: 'string' },
    out: { type: 'string' },
    data: { type: 'string' }
  })
  if (flags.name === undefined) throw new UsageError("--name is required: the client certificate's common name")
  const name = flags.name.trim()
  if (!NAME.test(name)) throw new UsageError(`--name must be 1 to 64 letters, digits, spaces, . _ or -, not "${flags.name}"`)
  if (flags.out === undefined) throw new UsageError('--out is required: the folder to write the files into')
  const p12Password = context.p12Password
  if (p12Password !== undefined && (p12Password.length < 4 || !/^[\x20-\x7e]+$/.test(p12Password))) {
    throw new UsageError('HOOKSCOPE_P12_PASSWORD must be at least 4 printable ASCII characters (PKCS#12 tools disagree on others)')
  }
  const dataDir = resolve(flags.data ?? defaultDataDir())
  const outDir = resolve(flags.out)
  const passphraseGiven = context.passphrase !== undefined
  if (!passphraseGiven && !context.askPassphrase) {
    const problem = keyringProblem({ state: 'locked', protections: ['passphrase'] }, false, 'cert client')!
    if (!existsSync(join(dataDir, DATABASE_FILE))) throw new CliFailure(problem)
  }

  // Before issuing: a folder we cannot create should not leave an unused certificate behind.
  makeDirectory(outDir)
  // Through the running `hookscope listen` when there is one.
  const connection = await connectEngine(dataDir, context, 'cert client', { needsKeyring: true })
  let files: CertificateFile[]
  let summary: CertificateSummary
  let port = DEFAULT_LISTEN_PORT
  try {
    const { client } = connection
    const problem = await unlockedKeyring(connection, context, 'cert client')
    if (problem) throw new CliFailure(problem)
    summary = await client.invoke('certificates.issueClient', { name })
    files = (await client.invoke('certificates.exportClient', { id: summary.id, format: 'pem' })).files
    if (p12Password !== undefined) {
      files.push(...(await client.invoke('certificates.exportClient', { id: summary.id, format: 'p12', password: p12Password })).files)
    }
    const endpoint = (await client.invoke('endpoints.list', {})).find((candidate) => candidate.id === DEFAULT_ENDPOINT_ID)
    // A running listen on --port 0 knows the port it got.
    const listening = endpoint?.state.url ? Number(new URL(endpoint.state.url).port) : 0
    if (listening > 0) port = listening
    else if (endpoint && endpoint.port !== 0) port = endpoint.port
  } finally {
    await connection.close()
  }

  const written = files.map((file) => ({ ...file, path: join(outDir, file.fileName) }))
  const byEnding = (ending: string) => written.find((file) => file.fileName.endsWith(ending))!
  const cert = byEnding('.crt.pem')
  const key = byEnding('.key.pem')
  const ca = byEnding('hookscope-ca.pem')
  const p12 = written.find((file) => file.fileName.endsWith('.p12'))
  for (const file of written) {
    const secret = file === key || file === p12
    writeFileWithMode(file.path, Buffer.from(file.contentBase64, 'base64'), modeInDataDir(file.path, dataDir, secret ? 0o600 : 0o644))
  }

  const { out } = context
  const until = new Date(summary.notAfter).toISOString().slice(0, 10)
  out(`Client certificate "${summary.name}" from ${summary.issuer}, valid until ${until}`)
  out(`  SHA-256 ${summary.fingerprint256}`)
  out(`  ${cert.path}  certificate, then the CA`)
  out(`  ${key.path}  private key, unencrypted (mode 0600)`)
  if (p12) out(`  ${p12.path}  PKCS#12, password from HOOKSCOPE_P12_PASSWORD (mode 0600)`)
  out(`  ${ca.path}  the Hookscope CA: trust it to reach https endpoints`)
  out(`Send with it to \`hookscope listen --mtls require\`:`)
  out(`  curl --cacert ${shellQuote(ca.path)} --cert ${shellQuote(cert.path)} --key ${shellQuote(key.path)} https://localhost:${port}/`)
  return 0
}
