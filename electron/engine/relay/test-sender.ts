import type { ParsedParams } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import type { RawHeader } from '../../../shared/model/delivery'
import { type AttemptBatch, DEFAULT_FORWARD_TIMEOUT_MS } from '../../../shared/model/relay'
import type { Clock } from '../engine-types'
import type { AttemptBatches } from './attempt-batches'
import type { AttemptRecord } from './attempt-record'
import type { AttemptRunner } from './attempt-runner'
import type { EventTemplates } from './event-templates'
import type { OutboundRequest } from './forward-request'
import { outgoingHeaders } from './outgoing-headers'
import { blankRecord } from './relay-scheduler'
import type { VerifyAsArrived } from './replay-service'
import type { RequestSigner } from './request-signer'
import { parseTarget } from './target-url'

export interface TestSenderDeps {
  runner: AttemptRunner
  batches: AttemptBatches
  signer: RequestSigner
  templates: EventTemplates
  verify: VerifyAsArrived
  clock: Clock
  nextId: () => string
  /** `Hookscope/<version>` */
  userAgent: string
}

export type SendParams = ParsedParams<'sender.send'>

/**
 * The sender: signed test events without a provider. Each send is composed afresh (new event id,
 * new timestamp, new signature), verified by Hookscope as if it had arrived, and recorded as an
 * attempt of kind `send`.
 */
export class TestSender {
  constructor(private readonly deps: TestSenderDeps) {}

  templates(scheme?: string) {
    return this.deps.templates.list(scheme)
  }

  /** Checks everything that can be checked before the first send; throws BAD_INPUT / NOT_FOUND / VAULT_LOCKED. */
  prepare(params: SendParams) {
    const key = this.deps.signer.key(params.keyId)
    if (params.scheme !== undefined && params.scheme !== key.scheme) {
      throw new EngineError('BAD_INPUT', `key "${params.keyId}" is a ${key.scheme} key, not ${params.scheme}`)
    }
    let url: URL
    try {
      url = parseTarget(params.url)
    } catch (error) {
      throw new EngineError('BAD_INPUT', `url: ${(error as Error).message}`)
    }
    const event = params.event
    // Rendered once here so an unknown template fails before anything is sent.
    if (params.bodyBase64 === undefined && !this.deps.templates.render(event, key.scheme, { now: this.deps.clock.now(), newId: 'check' })) {
      const known = this.deps.templates
        .list(key.scheme)
        .map((template) => template.id)
        .join(', ')
      throw new EngineError('BAD_INPUT', `no ${key.scheme} event template "${event}" (known: ${known}); or give a body`)
    }
    return { key, url, event }
  }

  /** Sends `count` times, `intervalMs` apart; resolves with every attempt. */
  async send(params: SendParams, onAttempt?: (record: AttemptRecord) => void): Promise<{ batch: AttemptBatch | null; attempts: AttemptRecord[] }> {
    const prepared = this.prepare(params)
    const count = params.count ?? 1
    const attempts: AttemptRecord[] = []
    const one = async (batchId: string | null) => {
      const record = await this.sendOne(params, prepared, batchId)
      attempts.push(record)
      onAttempt?.(record)
      return record.state
    }
    if (count === 1) {
      await one(null)
      return { batch: null, attempts }
    }
    const created = this.deps.batches.create('send', count)
    const batch = await this.deps.batches.run(
      created.id,
      Array.from({ length: count }, (_, i) => i),
      { concurrency: 1, intervalMs: params.intervalMs ?? 0 },
      () => one(created.id)
    )
    return { batch, attempts }
  }

  private async sendOne(params: SendParams, prepared: ReturnType<TestSender['prepare']>, batchId: string | null): Promise<AttemptRecord> {
    const { deps } = this
    const now = deps.clock.now()
    // One fresh id for the whole send: the template's event id and the signer's delivery id derive from it.
    const newId = deps.nextId()
    let body: Buffer
    let plaintext: Buffer | undefined
    let templateHeaders: RawHeader[] = []
    if (params.bodyBase64 !== undefined) {
      body = Buffer.from(params.bodyBase64, 'base64')
    } else {
      const rendered = deps.templates.render(prepared.event, prepared.key.scheme, { now, newId })!
      body = rendered.body
      plaintext = rendered.plaintext
      templateHeaders = rendered.headers
    }
    const method = (params.method ?? 'POST').toUpperCase()
    const given: RawHeader[] = [...templateHeaders, ...(params.headers ?? [])]
    const has = (name: string) => given.some(([candidate]) => candidate.toLowerCase() === name)
    const base: RawHeader[] = [['Host', prepared.url.host]]
    if (!has('user-agent')) base.push(['User-Agent', deps.userAgent])
    if (!has('content-type') && body.length > 0) base.push(['Content-Type', 'application/json'])
    const headers = outgoingHeaders([...base, ...given], {
      method,
      targetHost: prepared.url.host,
      preserveHost: false,
      bodyLength: body.length,
      forwarded: null
    })
    const record: AttemptRecord = {
      ...blankRecord(),
      id: deps.nextId(),
      kind: 'send',
      batchId,
      dueAt: now,
      method,
      target: prepared.url.href,
      edited: params.bodyBase64 !== undefined || params.headers !== undefined,
      resignedWith: prepared.key.id
    }
    const unsigned: OutboundRequest = { url: prepared.url, method, headers, body }
    const signed = deps.signer.sign(unsigned, prepared.key, { now, newId, plaintext })
    if (!signed.ok) {
      record.requestHeaders = headers
      record.requestBody = body
      record.requestBodySize = body.length
      record.state = 'failed'
      record.startedAt = now
      record.finishedAt = now
      record.error = signed.error
      void deps.runner.record(record, true)
      return record
    }
    record.notes = signed.notes
    record.target = signed.request.url.href
    record.requestHeaders = signed.request.headers
    record.requestBody = signed.request.body
    record.requestBodySize = signed.request.body.length
    record.verdict = await deps.verify(signed.request, null)
    await deps.runner.run(record, signed.request, { timeoutMs: params.timeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS, clientCertificateId: null }, true)
    return record
  }
}
