/**
 * The body worker: formats big bodies off the page's main thread (body-tasks.ts), so a 5 MiB
 * body never blocks scrolling, typing or the live list. One task at a time; the page cancels a
 * task by terminating the worker (a running parse cannot be interrupted any other way).
 */
import { runBodyTask, transferables, type BodyTask } from './body-tasks'

export interface BodyWorkerRequest {
  id: number
  task: BodyTask
}

export type BodyWorkerResponse =
  | { id: number; ok: true; result: ReturnType<typeof runBodyTask> }
  | { id: number; ok: false; name: string; message: string }

/** The part of DedicatedWorkerGlobalScope used here (the renderer's lib is DOM, not WebWorker). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<BodyWorkerRequest>) => void) | null
  postMessage(message: BodyWorkerResponse, transfer: Transferable[]): void
}

const scope = self as unknown as WorkerScope

scope.onmessage = ({ data: { id, task } }) => {
  try {
    const result = runBodyTask(task, () => performance.now())
    scope.postMessage({ id, ok: true, result }, transferables(result))
  } catch (error) {
    // Budgets make this unexpected; the view shows it and the other views keep working.
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) }
    scope.postMessage({ id, ok: false, name, message }, [])
  }
}
