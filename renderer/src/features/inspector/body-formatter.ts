import type { Clock } from '../../../../shared/lib/budget'
import { INLINE_FORMAT_BYTES } from './body-budgets'
import { type BodyTask, type BodyTaskKind, type BodyTaskResult, type BodyWork, decodeStoredBody, runBodyTask, type StoredBody } from './body-tasks'
import type { BodyWorkerRequest, BodyWorkerResponse } from './body-worker'

/**
 * Runs body-formatting tasks: small bodies inline (synchronously, so a view paints its content in
 * its first frame), big ones in the body worker, one at a time. A task whose view goes away is
 * cancelled: queued ones are dropped, a running one stops with its worker (a fresh worker starts
 * for the next task). Results are kept per body and task kind while the body is alive, so going
 * back to a tab is instant.
 */
export interface BodyFormatter {
  /** The result now when the body is small enough to format on the page; null otherwise. */
  formatNow<K extends BodyTaskKind>(task: BodyTask & { kind: K }): BodyTaskResult<K> | null
  /** The result, formatted off the main thread when big. Rejects with an AbortError once `signal` aborts. */
  format<K extends BodyTaskKind>(task: BodyTask & { kind: K }, signal: AbortSignal): Promise<BodyTaskResult<K>>
  /** A stored body's bytes and format now, when small enough to decode on the page; null otherwise. */
  decodeNow(base64: string, contentType: string | null): StoredBody | null
  /** A stored body's bytes and format, decoded off the main thread when big. */
  decode(base64: string, contentType: string | null, signal: AbortSignal): Promise<StoredBody>
}

export interface BodyFormatterOptions {
  /** Starts a body worker; null runs every task inline (tests, or no Worker support). */
  createWorker: (() => Worker) | null
  clock: Clock
}

interface Job {
  id: number
  work: BodyWork
  resolve(result: unknown): void
  reject(error: Error): void
}

export function createBodyFormatter({ createWorker, clock }: BodyFormatterOptions): BodyFormatter {
  const cache = new WeakMap<Uint8Array, Map<string, BodyTaskResult>>()
  const queue: Job[] = []
  let running: Job | null = null
  let worker: Worker | null = null
  let nextId = 1

  const cacheKey = (task: BodyTask) => `${task.kind}|${task.contentType ?? ''}|${task.truncated}`
  const cached = (task: BodyTask) => cache.get(task.bytes)?.get(cacheKey(task))
  const remember = (task: BodyTask, result: BodyTaskResult) => {
    let forBody = cache.get(task.bytes)
    if (!forBody) {
      forBody = new Map()
      cache.set(task.bytes, forBody)
    }
    forBody.set(cacheKey(task), result)
  }

  const stopWorker = () => {
    worker?.terminate()
    worker = null
  }

  const settle = (job: Job, outcome: { result: unknown } | { error: Error }) => {
    if (running === job) running = null
    if ('result' in outcome) {
      if (job.work.op === 'format') remember(job.work.task, outcome.result as BodyTaskResult)
      job.resolve(outcome.result)
    } else {
      job.reject(outcome.error)
    }
    pump()
  }

  const startWorker = (): Worker => {
    const started = createWorker!()
    started.onmessage = ({ data }: MessageEvent<BodyWorkerResponse>) => {
      const job = running
      if (!job || job.id !== data.id) return
      settle(job, data.ok ? { result: data.result } : { error: namedError(data.name, data.message) })
    }
    started.onerror = (event) => {
      // A worker that cannot start (or died) fails the task it had; the next task gets a new one.
      event.preventDefault()
      stopWorker()
      if (running) settle(running, { error: namedError('WorkerError', `the body worker failed: ${event.message || 'it could not start'}`) })
    }
    return started
  }

  const pump = () => {
    if (running || queue.length === 0) return
    const job = queue.shift()!
    running = job
    worker ??= startWorker()
    if (job.work.op === 'decode') {
      worker.postMessage({ id: job.id, work: job.work } satisfies BodyWorkerRequest)
      return
    }
    // A copy, handed over: the page keeps its bytes, and a view into a bigger buffer sends only itself.
    const bytes = job.work.task.bytes.slice()
    const request: BodyWorkerRequest = { id: job.id, work: { op: 'format', task: { ...job.work.task, bytes } } }
    worker.postMessage(request, [bytes.buffer])
  }

  /** Queues work for the worker; aborting drops it from the queue, or stops the worker running it. */
  const enqueue = (work: BodyWork, signal: AbortSignal): Promise<unknown> => {
    if (signal.aborted) return Promise.reject(abortError())
    return new Promise((resolve, reject) => {
      const job: Job = { id: nextId++, work, resolve, reject }
      signal.addEventListener(
        'abort',
        () => {
          if (running === job) {
            stopWorker()
            running = null
            job.reject(abortError())
            pump()
          } else {
            const index = queue.indexOf(job)
            if (index >= 0) queue.splice(index, 1)
            job.reject(abortError())
          }
        },
        { once: true }
      )
      queue.push(job)
      pump()
    })
  }

  const runInline = <K extends BodyTaskKind>(task: BodyTask & { kind: K }): BodyTaskResult<K> => {
    const result = runBodyTask(task, clock)
    remember(task, result)
    return result
  }

  return {
    formatNow(task) {
      const hit = cached(task)
      if (hit) return hit as BodyTaskResult<typeof task.kind>
      return task.bytes.length <= INLINE_FORMAT_BYTES || !createWorker ? runInline(task) : null
    },

    format(task, signal) {
      const now = this.formatNow(task)
      if (now) return Promise.resolve(now)
      return enqueue({ op: 'format', task }, signal) as Promise<BodyTaskResult<typeof task.kind>>
    },

    decodeNow(base64, contentType) {
      return base64.length <= (INLINE_FORMAT_BYTES * 4) / 3 || !createWorker ? decodeStoredBody(base64, contentType) : null
    },

    decode(base64, contentType, signal) {
      const now = this.decodeNow(base64, contentType)
      if (now) return Promise.resolve(now)
      return enqueue({ op: 'decode', base64, contentType }, signal) as Promise<StoredBody>
    }
  }
}

function abortError(): Error {
  return namedError('AbortError', 'the view was closed')
}

function namedError(name: string, message: string): Error {
  const error = new Error(message)
  error.name = name
  return error
}

/** The formatter the app uses: a real Web Worker, bundled by Vite. */
export function createBrowserBodyFormatter(): BodyFormatter {
  const canUseWorkers = typeof Worker !== 'undefined'
  return createBodyFormatter({
    createWorker: canUseWorkers ? () => new Worker(new URL('./body-worker.ts', import.meta.url), { type: 'module', name: 'hookscope-body' }) : null,
    clock: () => performance.now()
  })
}
