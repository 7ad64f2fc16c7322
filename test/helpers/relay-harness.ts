import { afterEach, expect } from 'vitest'
import type { IncomingRequest } from '../../electron/engine/capture/capture-types'
import { newDelivery } from '../../electron/engine/capture/new-delivery'
import type { Clock } from '../../electron/engine/engine-types'
import { createIdGenerator } from '../../electron/engine/ids'
import { silentLogger } from '../../electron/engine/logger'
import { AttemptsRepo, type AttemptsStore } from '../../electron/engine/relay/attempts-repo'
import { AttemptsWriter } from '../../electron/engine/relay/attempts-writer'
import { providerTemplates } from '../../electron/engine/relay/event-templates'
import { ForwardingConfigsRepo } from '../../electron/engine/relay/forwarding-configs-repo'
import { Relay } from '../../electron/engine/relay/relay'
import type { SignRequest } from '../../electron/engine/relay/sign-seam'
import { systemTimers, type Timers } from '../../electron/engine/relay/timers'
import { signRequest } from '../../electron/engine/sign'
import { openDatabase, type SqliteDatabase } from '../../electron/engine/store/open-database'
import type { EngineEvent } from '../../shared/api/contract'
import type { RawHeader } from '../../shared/model/delivery'
import type { KeyEntry } from '../../shared/model/keyring'
import type { Verdict } from '../../shared/model/verdict'
import { deliveriesOn } from './delivery-records'
import { startTarget, type TargetServer } from './relay-targets'
import { makeTempDir } from './temp-dir'

/**
 * The relay on a real SQLite file, driven the way the capture pipeline drives it (match, then
 * passthrough or afterStored), without a listener in between: for checking the relay's side of
 * the seam on its own. Deliveries are stored with the real repo.
 */
export interface RelayHarness {
  relay: Relay
  db: SqliteDatabase
  attempts: AttemptsRepo
  deliveries: ReturnType<typeof deliveriesOn>
  events: EngineEvent[]
  /** What the relay logged at error level: a test that ends with entries here hid a fault. */
  loggedErrors: string[]
  /** Resolves with the first event (already seen or to come) that `match` accepts. */
  waitForEvent(match: (event: EngineEvent) => boolean, timeoutMs?: number): Promise<EngineEvent>
  /** Stores `request` as a delivery and returns its id. */
  store(request: IncomingRequest): string
  /**
   * What the capture pipeline does with a request that matches an ack-first rule: the delivery and
   * its first attempt stored in one transaction, then `afterStored`. Returns the delivery id.
   */
  storeAndRelay(request: IncomingRequest): string
  close(): Promise<void>
}

export function startRelayHarness(options: {
  dataDir: string
  clock?: Clock
  timers?: Timers
  keys?: KeyEntry[]
  signRequest?: SignRequest
  verdict?: Verdict
  caPems?: string[]
  /** The relay's attempt store; the harness's AttemptsRepo (synchronous writes) by default. */
  store?: (db: SqliteDatabase, attempts: AttemptsRepo) => AttemptsStore
}): RelayHarness {
  const clock = options.clock ?? { now: () => Date.now() }
  const db = openDatabase(options.dataDir)
  const deliveries = deliveriesOn(db)
  const attempts = new AttemptsRepo(db)
  const nextId = createIdGenerator(clock.now)
  const events: EngineEvent[] = []
  const waiters = new Set<() => void>()
  const loggedErrors: string[] = []
  const logger = { ...silentLogger, error: (message: string, fields?: Record<string, unknown>) => loggedErrors.push(`${message} ${JSON.stringify(fields)}`) }
  const relay = new Relay({
    store: options.store?.(db, attempts) ?? attempts,
    configs: new ForwardingConfigsRepo(db),
    deliveries: { get: (id) => deliveries.get(id) },
    listDeliveryIds: (_filter, max) => deliveries.list({ limit: Math.min(1000, max) }).items.map((item) => item.id),
    verify: async () =>
      options.verdict ?? {
        status: 'unchecked',
        scheme: null,
        keyId: null,
        code: 'NO_SCHEME',
        summary: 'no scheme',
        steps: [],
        findings: [],
        checkedAt: clock.now()
      },
    keys: () => ({ locked: false, keys: options.keys ?? [] }),
    signRequest: options.signRequest ?? signRequest,
    templates: providerTemplates,
    tls: {
      trustedCaPems: () => options.caPems ?? [],
      clientCertificate: (id) => {
        throw Object.assign(new Error(`no client certificate ${id}`), { code: 'NOT_FOUND' })
      }
    },
    systemCas: () => [],
    endpointExists: () => true,
    clock,
    timers: options.timers ?? systemTimers,
    logger,
    nextId,
    emit: (event) => {
      events.push(event)
      relay.onEvent(event)
      for (const wake of waiters) wake()
    },
    userAgent: 'Hookscope/test'
  })
  function storeDelivery(request: IncomingRequest, id = nextId()): string {
    deliveries.insertMany([{ ...newDelivery(request, id, { status: 200, headers: [], body: Buffer.alloc(0), bodyTruncated: false }), verdict: null }])
    return id
  }
  return {
    relay,
    db,
    attempts,
    deliveries,
    events,
    loggedErrors,
    waitForEvent(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        let seen = 0
        const check = () => {
          for (; seen < events.length; seen++) {
            if (!match(events[seen]!)) continue
            clearTimeout(timer)
            waiters.delete(check)
            return resolve(events[seen]!)
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no matching event within ${timeoutMs} ms; saw ${events.map((event) => event.type).join(', ')}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    store: storeDelivery,
    storeAndRelay(request) {
      const rule = relay.match(request)
      if (rule?.mode !== 'ack-first') throw new Error(`no ack-first rule matches ${request.url}`)
      const id = nextId()
      const first = relay.firstAttempt(id, request, rule)
      db.transaction(() => {
        storeDelivery(request, id)
        new AttemptsWriter(db).save(first)
      })()
      relay.afterStored(id, request, rule, first)
      return id
    },
    async close() {
      await relay.stop()
      db.close()
    }
  }
}

/** A request as a listener would hand it over. */
export function incomingRequest(overrides: Partial<IncomingRequest> = {}): IncomingRequest {
  const body = overrides.body ?? Buffer.from('{"type":"invoice.paid"}')
  const headers: RawHeader[] = overrides.headers ?? [
    ['Host', '127.0.0.1:8080'],
    ['User-Agent', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)'],
    ['Content-Type', 'application/json; charset=utf-8'],
    ['Stripe-Signature', 't=1,v1=abc'],
    ['Content-Length', String(body.length)]
  ]
  return {
    endpointId: 'default',
    receivedAt: Date.now(),
    durationMs: 1,
    method: 'POST',
    url: '/stripe/events?live=1',
    httpVersion: '1.1',
    headers,
    body,
    bodySize: body.length,
    truncated: false,
    remoteAddress: '127.0.0.1',
    remotePort: 50_000,
    tls: null,
    source: { kind: 'listener' },
    ...overrides
  }
}

/**
 * Per-test resources for relay tests: harnesses on fresh folders and loopback targets, all
 * closed after each test; a harness that logged an error fails the test.
 */
export function relayTestKit() {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })
  return {
    cleanup,
    harness(options: Omit<Parameters<typeof startRelayHarness>[0], 'dataDir'> & { dataDir?: string } = {}): RelayHarness {
      const dir = options.dataDir ? null : makeTempDir()
      const started = startRelayHarness({ ...options, dataDir: options.dataDir ?? dir!.path })
      cleanup.push(() => dir?.remove())
      cleanup.push(async () => {
        await started.close()
        expect(started.loggedErrors).toEqual([])
      })
      return started
    },
    async target(...args: Parameters<typeof startTarget>): Promise<TargetServer> {
      const server = await startTarget(...args)
      cleanup.push(() => server.close())
      return server
    }
  }
}
