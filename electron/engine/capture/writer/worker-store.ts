import { Worker } from 'node:worker_threads'
import { EngineError, type ErrorCode } from '../../../../shared/errors'
import type { Durability } from '../../../../shared/model/durability'
import type { Logger } from '../../engine-types'
import type { AttemptRecord } from '../../relay/attempt-record'
import type { KeyringSnapshot } from '../../verify/verify-delivery'
import { type CaptureStore, StoreWriteError, type WriteOptions } from './capture-store'
import { captureWorkerFile } from './capture-worker-file'
import type { WriterOptions } from './open-writer'
import type { FromWorker, ToWorker } from './worker-protocol'
import type { WriteResult } from './write-executor'
import type { WriterEvent } from './write-loop'
import type { WriteInput, WriteOp, WriteOpKind, WriteOutput } from './write-ops'

/** Bodies at least this large travel by transfer (no copy) when they may; smaller ones are packed. */
const TRANSFER_MIN_BYTES = 64 * 1024

interface Pending {
  op: WriteOp
  transfer: boolean
  resolve: (value: never) => void
  reject: (error: unknown) => void
}

/**
 * The capture worker, seen from the engine: ops queued in one turn of the event loop go to the
 * worker as one message. Small bodies are copied once, into one buffer for the whole message;
 * large ones are transferred when the caller allows it. If the worker dies, what it had is
 * answered as failed (the senders get 503) and a new worker takes over.
 */
export class WorkerStore implements CaptureStore {
  private worker!: Worker
  private queue: Pending[] = []
  private scheduled = false
  private seq = 0
  private readonly inFlight = new Map<number, Pending[]>()
  private keyring: { snapshot: KeyringSnapshot; now: number } | null = null
  private level: Durability
  private closing: Promise<void> | null = null
  private exited = false
  private restarts: number[] = []

  /**
   * Settles once the worker has opened the store; rejects with an EngineError (STORE_*) if it
   * cannot. Writes may be queued before: the worker takes them once it is up.
   */
  readonly ready: Promise<void>

  /** Starts the worker thread at once; it boots while the caller does its own startup work. */
  constructor(
    private readonly options: WriterOptions,
    private readonly logger: Logger,
    private readonly onEvent: (event: WriterEvent) => void
  ) {
    this.level = options.durability
    this.ready = this.spawn()
    // Whoever awaits `ready` hears of a failure; an unawaited one must not crash the process.
    this.ready.catch(() => undefined)
  }

  write<K extends WriteOpKind>(kind: K, input: WriteInput<K>, options: WriteOptions = {}): Promise<WriteOutput<K>> {
    if (this.closing !== null) return Promise.reject(new StoreWriteError('STORE_CLOSED', 'the store is closed'))
    return new Promise((resolve, reject) => {
      this.queue.push({ op: { kind, input } as WriteOp, transfer: options.transfer ?? false, resolve: resolve as (value: never) => void, reject })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  setKeyring(snapshot: KeyringSnapshot, now: number): void {
    this.keyring = { snapshot, now }
    this.post({ type: 'keyring', snapshot, now })
  }

  setDurability(level: Durability): void {
    this.level = level
    this.post({ type: 'durability', level })
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.flush()
      if (this.exited) return
      const closed = new Promise<void>((resolve) => {
        const onMessage = (message: FromWorker) => {
          if (message.type === 'closed') resolve()
        }
        this.worker.on('message', onMessage)
        this.worker.once('exit', () => resolve())
      })
      this.post({ type: 'close' })
      await closed
      await this.worker.terminate()
    })()
    return this.closing
  }

  private spawn(): Promise<void> {
    const worker = new Worker(captureWorkerFile, { workerData: { ...this.options, durability: this.level } })
    this.worker = worker
    this.exited = false
    return new Promise((resolve, reject) => {
      let started = false
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            started = true
            if (this.keyring) this.post({ type: 'keyring', ...this.keyring })
            resolve()
            break
          case 'failed':
            reject(new EngineError(isStoreCode(message.error.code) ? message.error.code : 'STORE_UNREADABLE', message.error.message))
            break
          case 'written':
            this.settle(message.seq, message.results)
            break
          case 'event':
            this.onEvent(message.event)
            break
          case 'log':
            this.logger[message.level](message.message, message.fields)
            break
        }
      })
      worker.on('error', (error) => {
        this.logger.error('the capture worker failed', { error: error.stack ?? error.message })
        if (!started) reject(new EngineError('INTERNAL', `the capture worker could not start: ${error.message}`))
      })
      worker.on('exit', (code) => {
        if (worker !== this.worker) return
        this.exited = true
        this.failInFlight(new StoreWriteError('STORE_WORKER_EXITED', `the capture worker stopped (exit code ${code})`))
        if (!started || this.closing !== null) return
        this.respawn()
      })
    })
  }

  /** A worker that died unexpectedly is replaced, unless that keeps happening. */
  private respawn(): void {
    const now = Date.now()
    this.restarts = [...this.restarts.filter((at) => now - at < 60_000), now]
    if (this.restarts.length > 5) {
      this.logger.error('the capture worker keeps stopping; capture answers 503 until Hookscope restarts')
      this.closing = Promise.resolve()
      return
    }
    this.spawn().catch((error: unknown) => this.logger.error('the capture worker could not restart', { error: (error as Error).message }))
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.queue
    if (batch.length === 0) return
    this.queue = []
    if (this.exited) {
      const error = new StoreWriteError('STORE_WORKER_EXITED', 'the capture worker has stopped')
      for (const pending of batch) pending.reject(error)
      return
    }
    const seq = ++this.seq
    const transfers: ArrayBuffer[] = []
    const ops = packBodies(batch, transfers)
    this.inFlight.set(seq, batch)
    this.post({ type: 'write', seq, ops }, transfers)
  }

  private settle(seq: number, results: WriteResult[]): void {
    const batch = this.inFlight.get(seq)
    if (!batch) return
    this.inFlight.delete(seq)
    batch.forEach((pending, index) => {
      const result = results[index]!
      if (result.ok) pending.resolve(result.value as never)
      else pending.reject(new StoreWriteError(result.error.code, result.error.message))
    })
  }

  private failInFlight(error: StoreWriteError): void {
    for (const batch of this.inFlight.values()) for (const pending of batch) pending.reject(error)
    this.inFlight.clear()
  }

  private post(message: ToWorker, transfers: ArrayBuffer[] = []): void {
    // After close (the keyring locks at engine stop, say) there is nobody to tell.
    if (this.exited || (this.closing && message.type !== 'close' && message.type !== 'write')) return
    this.worker.postMessage(message, transfers)
  }
}

/**
 * The ops as they go to the worker: every body becomes a Uint8Array view either on its own
 * buffer, transferred (large, and the caller allowed it), or on one buffer that packs the rest.
 * Structured clone copies a view's *whole* buffer, and a small body is often a slice of a large
 * socket or pool buffer (a target's answer, say): packing copies exactly its bytes, once.
 */
function packBodies(batch: Pending[], transfers: ArrayBuffer[]): WriteOp[] {
  const packed: { holder: Record<string, unknown>; key: string; body: Buffer }[] = []
  let packedBytes = 0
  const place = <T extends object>(holder: T, key: keyof T & string, transfer: boolean) => {
    const body = holder[key] as Buffer | null
    if (body === null) return
    if (transfer && body.byteLength >= TRANSFER_MIN_BYTES && body.byteOffset === 0 && body.buffer.byteLength === body.byteLength) {
      const buffer = body.buffer as ArrayBuffer
      if (!transfers.includes(buffer)) transfers.push(buffer)
      ;(holder as Record<string, unknown>)[key] = new Uint8Array(buffer)
      return
    }
    packed.push({ holder: holder as Record<string, unknown>, key, body })
    packedBytes += body.byteLength
  }
  const attempt = (record: AttemptRecord): AttemptRecord => {
    const copy = { ...record }
    place(copy, 'requestBody', false)
    place(copy, 'responseBody', false)
    return copy
  }
  const ops = batch.map(({ op, transfer }): WriteOp => {
    switch (op.kind) {
      case 'delivery.insert': {
        const delivery = { ...op.input.delivery }
        place(delivery, 'body', transfer)
        if (delivery.response) {
          delivery.response = { ...delivery.response }
          place(delivery.response, 'body', false)
        }
        const relayAttempt = op.input.relayAttempt && attempt(op.input.relayAttempt)
        return { kind: op.kind, input: { ...op.input, delivery, relayAttempt } }
      }
      case 'delivery.respond': {
        const response = { ...op.input.response }
        place(response, 'body', false)
        return { kind: op.kind, input: { ...op.input, response } }
      }
      case 'attempt.save':
        return { kind: op.kind, input: { record: attempt(op.input.record), next: op.input.next && attempt(op.input.next) } }
      default:
        return op
    }
  })
  if (packed.length > 0) {
    const pack = new ArrayBuffer(packedBytes)
    let offset = 0
    for (const { holder, key, body } of packed) {
      const view = new Uint8Array(pack, offset, body.byteLength)
      view.set(body)
      holder[key] = view
      offset += body.byteLength
    }
    transfers.push(pack)
  }
  return ops
}

const STORE_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'STORE_LOCKED',
  'STORE_UNREADABLE',
  'STORE_NOT_HOOKSCOPE',
  'STORE_TOO_NEW',
  'STORE_READ_ONLY',
  'STORE_DAMAGED'
])

function isStoreCode(code: string): code is ErrorCode {
  return STORE_CODES.has(code)
}
