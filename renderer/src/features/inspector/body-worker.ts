/**
 * The body worker: decodes and formats big bodies off the page's main thread (body-tasks.ts), so
 * a 5 MiB body never blocks scrolling, typing or the live list. One job at a time; the page
 * cancels a job by terminating the worker (a running parse cannot be interrupted any other way).
 */
import { type BodyWork, decodeStoredBody, runBodyTask, transferables } from './body-tasks'

export interface BodyWorkerRequest {
  id: number
  work: BodyWork
}

export type BodyWorkerResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; name: string; message: string }

/** The part of DedicatedWorkerGlobalScope used here (the renderer's lib is DOM, not WebWorker). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<BodyWorkerRequest>) => void) | null
  postMessage(message: BodyWorkerResponse, transfer: Transferable[]): void
}

const scope = self as unknown as WorkerScope

scope.onmessage = ({ data: { id, work } }) => {
  try {
    if (work.op === 'decode') {
      const result = decodeStoredBody(work.base64, work.contentType)
      scope.postMessage({ id, ok: true, result }, [result.bytes.buffer])
    } else {
      const result = runBodyTask(work.task, () => performance.now())
      scope.postMessage({ id, ok: true, result }, transferables(result))
    }
  } catch (error) {
    // Budgets make this unexpected; the view shows it and the other views keep working.
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) }
    scope.postMessage({ id, ok: false, name, message }, [])
  }
}
