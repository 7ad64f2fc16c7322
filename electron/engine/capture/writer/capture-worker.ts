/**
 * The capture worker thread: the store's single writer, and where verification runs. Started by
 * worker-store.ts; built as an entry of its own (electron.vite.config.ts → out/main/capture-worker.js).
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { Logger } from '../../engine-types'
import type { AttemptRecord } from '../../relay/attempt-record'
import { openWriter } from './open-writer'
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol'
import type { WriteOp } from './write-ops'

const port = parentPort!
const post = (message: FromWorker) => port.postMessage(message)
const log = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => post({ type: 'log', level, message, fields })
const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }

let writer: ReturnType<typeof openWriter>
try {
  writer = openWriter(workerData as WorkerData, logger, (event) => post({ type: 'event', event }))
} catch (error) {
  const code = (error as { code?: unknown }).code
  post({ type: 'failed', error: { code: typeof code === 'string' ? code : 'STORE_UNREADABLE', message: (error as Error).message } })
  process.exit(1)
}
post({ type: 'ready' })

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'write':
      writer.loop.submit(withBuffers(message.ops), (results) => post({ type: 'written', seq: message.seq, results }))
      break
    case 'keyring':
      writer.loop.setKeyring(message.snapshot, message.now)
      break
    case 'durability':
      writer.loop.setDurability(message.level)
      break
    case 'close':
      void writer.close().then(
        () => {
          post({ type: 'closed' })
          port.close()
        },
        (error: unknown) => {
          logger.error('the store did not close cleanly', { error: (error as Error).message })
          post({ type: 'closed' })
          port.close()
        }
      )
      break
  }
})

/** Bodies arrive as Uint8Array views (structured clone drops the Buffer class): view them as Buffers, no copy. */
function withBuffers(ops: WriteOp[]): WriteOp[] {
  for (const op of ops) {
    if (op.kind === 'delivery.insert') {
      op.input.delivery.body = asBuffer(op.input.delivery.body)
      if (op.input.delivery.response) op.input.delivery.response.body = asBuffer(op.input.delivery.response.body)
      if (op.input.relayAttempt) attemptBuffers(op.input.relayAttempt)
    } else if (op.kind === 'delivery.respond') {
      op.input.response.body = asBuffer(op.input.response.body)
    } else if (op.kind === 'attempt.save') {
      attemptBuffers(op.input.record)
      if (op.input.next) attemptBuffers(op.input.next)
    }
  }
  return ops
}

function attemptBuffers(record: AttemptRecord): void {
  if (record.requestBody) record.requestBody = asBuffer(record.requestBody)
  if (record.responseBody) record.responseBody = asBuffer(record.responseBody)
}

function asBuffer(view: Uint8Array): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength)
}
