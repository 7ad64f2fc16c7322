import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { EngineClient, EngineEvent } from '../../shared/api/contract'
import { isEngineError } from '../../shared/errors'
import { formatSize } from '../../shared/lib/byte-size'
import type { DeliverySummary, RejectedConnection } from '../../shared/model/delivery'
import { DURABILITY_LEVELS, type Durability } from '../../shared/model/durability'
import type { Endpoint } from '../../shared/model/endpoint'
import type { StoreHealthStatus } from '../../shared/model/store-health'
import { type CertificateSummary, type EndpointTlsConfig, LOCAL_CA_ISSUER_ID } from '../../shared/model/tls'
import { defaultDataDir } from '../engine/default-data-dir'
import type { Logger } from '../engine/engine-types'
import { type LocalAccessPoint, startLocalAccessPoint } from '../engine/http/local-access-point'
import { createLocalClient } from '../engine/local-client'
import { DATA_FILE_MODE } from '../engine/store/data-dir-modes'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'
import { CLI_FORWARD_RULE_ID, type ForwardRuleInput, forwardRuleFromFlags } from './forward-flags'
import { forwardedLines } from './forwarded-lines'
import { keyringProblem, LISTEN_CA_FILE, openEngine } from './open-engine'
import { writeFileWithMode } from './output-files'
import { hostFlag, parseFlags, portFlag } from './parse-flags'
import { shellQuote } from './shell-quote'
import { type ListenTls, listenTlsFlags } from './tls-flags'
import { applyTunnel, tunnelFlags, tunnelPrinter } from './tunnel-flags'
import { UsageError } from './usage-error'

export const DEFAULT_ENDPOINT_ID = 'default'

/**
 * `hookscope listen`: the engine headless, its default endpoint on --host/--port, and the UI over
 * the local HTTP/WS API. Resolves with the exit code once a signal has stopped it cleanly.
 *
 * The default endpoint's TLS settings come from the flags on every start: plain `listen` is http,
 * --https https, --mtls request|require https with client certificates. --trust adds issuers to
 * the local CA (which stays trusted); the flags replace whatever the endpoint had before,
 * pinned fingerprints included.
 */
export async function listenCommand(args: string[], context: CliContext): Promise<number> {
  const flags = parseFlags(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    'ui-port': { type: 'string' },
    'ui-host': { type: 'string' },
    'no-ui': { type: 'boolean' },
    https: { type: 'boolean' },
    mtls: { type: 'string' },
    trust: { type: 'string', multiple: true },
    'cert-host': { type: 'string', multiple: true },
    tunnel: { type: 'string' },
    'tunnel-token': { type: 'string' },
    durability: { type: 'string' },
    'forward-to': { type: 'string' },
    'forward-mode': { type: 'string' },
    'forward-timeout': { type: 'string' },
    retry: { type: 'string' }
  })
  const port = portFlag(flags.port, 'port', 8080)
  const host = hostFlag(flags.host, 'host', '127.0.0.1')
  const uiPort = portFlag(flags['ui-port'], 'ui-port', 0)
  const uiHost = hostFlag(flags['ui-host'], 'ui-host', '127.0.0.1')
  const tls = listenTlsFlags(flags)
  const tunnel = tunnelFlags(flags, context.tunnelToken)
  const durability = durabilityFlag(flags.durability)
  const forwardRule = forwardRuleFromFlags(flags)
  const dataDir = resolve(flags.data ?? defaultDataDir())
  const { out, logger } = context
  // Listen for SIGINT/SIGTERM from the start: a signal during startup then stops us cleanly
  // (store flushed, lock released) as soon as we are up, instead of killing us half-started.
  const signalled = context.waitForSignal()

  const engine = await openEngine(dataDir, context, 'listen', { needsKeyring: tls.mode !== 'http', durability })
  const client = createLocalClient(engine)
  let api: LocalAccessPoint | undefined
  let forwarded: ReturnType<typeof forwardedLines> | undefined
  try {
    if (tls.mode !== 'http') {
      const problem = keyringProblem(await client.invoke('vault.status', {}), context.passphrase !== undefined, `listen ${tlsFlagName(tls)}`)
      if (problem) throw new CliFailure(problem)
    }
    const issuerIds = await importTrustedIssuers(client, tls)
    // Configured before engine.start(), so the endpoint binds once, with these settings.
    const endpoint = await ensureDefaultEndpoint(client, host, port, {
      mode: tls.mode,
      clientCert: tls.clientCert,
      trustedIssuerIds: [LOCAL_CA_ISSUER_ID, ...issuerIds],
      pinnedFingerprints: [],
      extraHosts: tls.extraHosts
    })
    if (tunnel) await applyTunnel(client, DEFAULT_ENDPOINT_ID, tunnel)
    // Before start, so the first connection's line is not missed.
    engine.subscribe(tunnelPrinter(DEFAULT_ENDPOINT_ID, out))
    await setForwardRule(client, forwardRule)
    await engine.start()
    if (endpoint.state.status !== 'listening') {
      out(`hookscope: ${describeStartFailure(endpoint, tls, context.passphrase !== undefined)}`, 'stderr')
      await engine.stop()
      return 1
    }
    const noUi = flags['no-ui'] === true
    if (!noUi && !isLoopback(uiHost)) logger.warn('the UI is reachable from other machines; anyone with the token can use it', { host: uiHost })
    // The API runs with --no-ui too (loopback only, no UI files): `replay`, `send`, `ca export`
    // and `cert client` reach this engine through it while it holds the data folder.
    api = await startLocalAccessPoint({
      engine,
      dataDir,
      version: context.version,
      logger,
      ui: noUi ? undefined : { host: uiHost, port: uiPort, rendererDir: findRendererDir(context.appRoot, logger) }
    })
    out(`Hookscope ${context.version}, data in ${dataDir}`)
    out(`Capture URL: ${endpoint.state.url}`)
    const settings = await client.invoke('settings.get', {})
    out(`Durability: ${settings.durability} (${DURABILITY_MEANING[settings.durability]})`)
    if (tls.mode !== 'http') {
      out(`CA: ${await caLine(client, dataDir, endpoint.state.url!, logger)}`)
      if (tls.mode === 'https+mtls') out(await mtlsLine(client, tls, issuerIds))
    }
    if (forwardRule)
      out(
        `Forwarding to ${forwardRule.target} (${forwardRule.mode}${forwardRule.mode === 'ack-first' ? `, retry ${forwardRule.retry}` : ''}, timeout ${forwardRule.timeoutMs === 0 ? 'none' : `${forwardRule.timeoutMs / 1000} s`})`
      )
    if (!noUi) out(`UI: ${api.uiUrl}`)
    if (forwardRule) forwarded = forwardedLines(DEFAULT_ENDPOINT_ID, forwardedDeliveryLine, context.print)
    const plain = deliveryPrinter(context.print)
    engine.subscribe((event) => {
      if (forwarded?.owns(event)) forwarded.handle(event)
      else plain(event)
    })
    engine.subscribe(storeHealthPrinter(out))
    const health = await client.invoke('store.health', {})
    if (health.state !== 'ok') out(formatStoreHealth(health), 'stderr')
  } catch (error) {
    await api?.stop()
    await engine.stop()
    throw error
  }

  const signal = await signalled
  out(`hookscope: ${signal}, stopping`, 'stderr')
  await api?.stop()
  await engine.stop()
  forwarded?.flush()
  return 0
}

const DURABILITY_MEANING: Record<Durability, string> = {
  crash: 'acknowledged once committed; survives a crash of Hookscope, may lose the last second on a power cut',
  fsync: 'acknowledged once on disk; survives a power cut'
}

function durabilityFlag(value: string | undefined): Durability | undefined {
  if (value === undefined) return undefined
  const level = DURABILITY_LEVELS.find((known) => known === value)
  if (!level) throw new UsageError(`--durability must be ${DURABILITY_LEVELS.join(' or ')}, not "${value}"`)
  return level
}

/**
 * --forward-to puts its catch-all rule on the default endpoint (replacing the endpoint's rules,
 * as the TLS flags replace its TLS settings); without it, only a rule an earlier --forward-to
 * left is removed, and rules made in the UI stay.
 */
async function setForwardRule(client: EngineClient, rule: ForwardRuleInput | null): Promise<void> {
  if (rule) {
    await client.invoke('forwarding.set', { endpointId: DEFAULT_ENDPOINT_ID, rules: [rule] })
    return
  }
  const { rules } = await client.invoke('forwarding.get', { endpointId: DEFAULT_ENDPOINT_ID })
  if (!rules.some((existing) => existing.id === CLI_FORWARD_RULE_ID)) return
  await client.invoke('forwarding.set', { endpointId: DEFAULT_ENDPOINT_ID, rules: rules.filter((existing) => existing.id !== CLI_FORWARD_RULE_ID) })
}

function tlsFlagName(tls: ListenTls): string {
  return tls.mode === 'https+mtls' ? `--mtls ${tls.clientCert}` : '--https'
}

/** Imports each --trust file (idempotent: known issuers are found again) and returns their ids. */
async function importTrustedIssuers(client: EngineClient, tls: ListenTls): Promise<string[]> {
  const ids: string[] = []
  for (const file of tls.trust) {
    let imported: CertificateSummary[]
    try {
      imported = await client.invoke('certificates.importIssuer', { pem: file.pem })
    } catch (error) {
      if (isEngineError(error) && error.code === 'BAD_INPUT') throw new UsageError(`--trust ${file.path}: ${error.message}`)
      throw error
    }
    for (const issuer of imported) if (!ids.includes(issuer.id)) ids.push(issuer.id)
  }
  // The endpoint config holds at most 50 trusted issuers, the local CA among them.
  if (ids.length > 49) throw new UsageError(`--trust: ${ids.length} issuers; at most 49 besides the local CA`)
  return ids
}

async function ensureDefaultEndpoint(client: EngineClient, host: string, port: number, tls: EndpointTlsConfig): Promise<Endpoint> {
  const existing = (await client.invoke('endpoints.list', {})).find((endpoint) => endpoint.id === DEFAULT_ENDPOINT_ID)
  if (existing) return client.invoke('endpoints.update', { id: DEFAULT_ENDPOINT_ID, patch: { host, port, enabled: true, tls } })
  return client.invoke('endpoints.create', { id: DEFAULT_ENDPOINT_ID, name: 'Default', host, port, tls })
}

function describeStartFailure(endpoint: Endpoint, tls: ListenTls, passphraseGiven: boolean): string {
  const error = endpoint.state.error ?? 'the capture endpoint did not start'
  // The vault was checked up front; a keyring locked since is still worth the same sentence.
  if (endpoint.state.code === 'VAULT_LOCKED') {
    return keyringProblem({ state: 'locked', protections: ['passphrase'] }, passphraseGiven, `listen ${tlsFlagName(tls)}`) ?? error
  }
  return error
}

/**
 * Where the CA certificate is, for the `CA:` line: a copy written into the data folder (public;
 * a file for curl to trust while listen runs), or a hint when that failed.
 */
async function caLine(client: EngineClient, dataDir: string, url: string, logger: Logger): Promise<string> {
  const path = join(dataDir, LISTEN_CA_FILE)
  try {
    const ca = await client.invoke('certificates.exportCa', { format: 'pem' })
    // Public, but it lives in the data folder, where every file is 0600 (data-dir-modes.ts).
    writeFileWithMode(path, Buffer.from(ca.contentBase64, 'base64'), DATA_FILE_MODE)
  } catch (error) {
    logger.warn('could not write the CA certificate into the data folder', { path, error: (error as Error).message })
    return 'not trusted by default; export it: hookscope ca export --format pem --out hookscope-ca.pem'
  }
  return `${path}  (trust it: curl --cacert ${shellQuote(path)} ${url})`
}

async function mtlsLine(client: EngineClient, tls: ListenTls, issuerIds: string[]): Promise<string> {
  const { certificates } = await client.invoke('certificates.list', {})
  const names = [
    certificates.find((cert) => cert.kind === 'ca')?.name ?? 'the local CA',
    ...issuerIds.map((id) => certificates.find((cert) => cert.id === id)?.name ?? id)
  ]
  const how = tls.clientCert === 'require' ? 'required' : 'requested (connections without one are accepted)'
  return `Client certificates: ${how}; trusted issuers: ${names.join(', ')}`
}

/**
 * One line per delivery, and per TLS connection refused before a request. A committed batch can hold hundreds of deliveries: their lines go out in
 * one write after the batch, not one system call each (stdout to a pipe or file is synchronous).
 */
export function deliveryPrinter(print: CliContext['print']): (event: EngineEvent) => void {
  let pending: string[] = []
  const flush = () => {
    const lines = pending
    pending = []
    if (lines.length > 0) print(lines.join('\n'))
  }
  return (event) => {
    let line: string
    if (event.type === 'delivery.added') line = formatDeliveryLine(event.delivery)
    else if (event.type === 'connection.rejected') line = formatRejectedLine(event.connection)
    else return
    if (pending.length === 0) setImmediate(flush)
    pending.push(line)
  }
}

/** The store's health as it changes (disk full, damage found, writes working again), on stderr. */
export function storeHealthPrinter(out: CliContext['out']): (event: EngineEvent) => void {
  return (event) => {
    if (event.type === 'store.health') out(formatStoreHealth(event.health), 'stderr')
  }
}

export function formatStoreHealth(health: StoreHealthStatus): string {
  return `hookscope: store ${health.state}: ${health.detail}`
}

/** A forwarded delivery's line, which the target's result completes: a passthrough sender's status is that result. */
function forwardedDeliveryLine(delivery: DeliverySummary): string {
  const line = formatDeliveryLine(delivery)
  return delivery.responseStatus === 0 ? line.slice(0, line.lastIndexOf('  ')) : line
}

export function formatDeliveryLine(delivery: DeliverySummary): string {
  const time = clockTime(delivery.receivedAt)
  const size = formatSize(delivery.bodySize) + (delivery.truncated ? ' (truncated)' : '')
  // 0: a passthrough relay is still waiting for its target's answer.
  return `${time}  ${delivery.method} ${delivery.url}  ${size}  ${delivery.responseStatus || '…'}`
}

/** A TLS connection that never carried a request: `12:03:55.120  REJECTED 127.0.0.1:51234  no-certificate: ...`. */
export function formatRejectedLine(connection: RejectedConnection): string {
  const address = connection.remoteAddress.includes(':') ? `[${connection.remoteAddress}]` : connection.remoteAddress
  const { code } = connection.rejection
  // A handshake error's text comes from OpenSSL: keep the line a line.
  const reason = connection.rejection.reason.replace(/[\x00-\x1f\x7f]+/g, ' ')
  return `${clockTime(connection.at)}  REJECTED ${address}:${connection.remotePort}  ${code}: ${reason}`
}

/** UTC, to the millisecond. */
function clockTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23)
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}

function findRendererDir(appRoot: string, logger: Logger): string | null {
  const dir = join(appRoot, 'out', 'renderer')
  if (existsSync(join(dir, 'index.html'))) return dir
  logger.warn('the UI is not built (run npm run build); serving the API only')
  return null
}
