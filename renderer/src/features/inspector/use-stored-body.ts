import { useEffect, useMemo, useState } from 'react'
import { useBodyFormatter } from '../../app/services-context'
import type { StoredBody } from './body-tasks'

export type StoredBodyState = ({ status: 'ready' } & StoredBody) | { status: 'pending' } | { status: 'error' }

/**
 * A delivery's body bytes and detected format from its base64: at once for small bodies, from
 * the body worker for big ones (decoding and sniffing 10 MiB on the page would block it).
 */
export function useStoredBody(base64: string, contentType: string | null): StoredBodyState {
  const formatter = useBodyFormatter()
  const now = useMemo((): StoredBodyState | null => {
    try {
      const body = formatter.decodeNow(base64, contentType)
      return body && { status: 'ready', ...body }
    } catch {
      return { status: 'error' }
    }
  }, [formatter, base64, contentType])
  const [later, setLater] = useState<{ base64: string; state: StoredBodyState } | null>(null)

  useEffect(() => {
    if (now) return
    const controller = new AbortController()
    formatter.decode(base64, contentType, controller.signal).then(
      (body) => setLater({ base64, state: { status: 'ready', ...body } }),
      (error: Error) => {
        if (error.name !== 'AbortError') setLater({ base64, state: { status: 'error' } })
      }
    )
    return () => controller.abort()
  }, [formatter, base64, contentType, now])

  if (now) return now
  return later?.base64 === base64 ? later.state : { status: 'pending' }
}

/** Stored bytes of a base64 body, without decoding it. */
export function base64ByteLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0
  return Math.max(0, (base64.length / 4) * 3 - padding)
}
