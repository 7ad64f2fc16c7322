import { useEffect, useMemo, useState } from 'react'
import { useBodyFormatter } from '../../app/services-context'
import type { BodyTask, BodyTaskKind, BodyTaskResult } from './body-tasks'

export type BodyTaskState<K extends BodyTaskKind> = { status: 'pending' } | { status: 'ready'; result: BodyTaskResult<K> }

/**
 * A formatted body for a view: at once for small bodies; for big ones 'pending' while the worker
 * formats it, cancelled when the view goes away (another tab, another delivery). A failure is
 * thrown during render, so the view's error boundary shows and logs it.
 */
export function useBodyTask<K extends BodyTaskKind>(kind: K, bytes: Uint8Array, contentType: string | null, truncated: boolean): BodyTaskState<K> {
  const formatter = useBodyFormatter()
  const task = useMemo(() => ({ kind, bytes, contentType, truncated }) as BodyTask & { kind: K }, [kind, bytes, contentType, truncated])
  const now = useMemo(() => formatter.formatNow(task), [formatter, task])
  const [later, setLater] = useState<{ task: BodyTask; result?: BodyTaskResult<K>; error?: Error } | null>(null)

  useEffect(() => {
    if (now) return
    const controller = new AbortController()
    formatter.format(task, controller.signal).then(
      (result) => setLater({ task, result }),
      (error: Error) => {
        if (error.name !== 'AbortError') setLater({ task, error })
      }
    )
    return () => controller.abort()
  }, [formatter, task, now])

  if (now) return { status: 'ready', result: now }
  if (later?.task !== task) return { status: 'pending' }
  if (later.error) throw later.error
  return { status: 'ready', result: later.result! }
}
