import { useEffect, useState } from 'react'
import type { DecodedBody } from '../../../../shared/api/contract'
import { useBodyFormatter, useDeliveries } from '../../app/services-context'
import type { StoredBody } from './body-tasks'

/** What the body views show of a Content-Encoding: the decoded body, or the reason it stays encoded. */
export type ContentDecodingState =
  | { status: 'none' }
  | { status: 'pending' }
  | { status: 'decoded'; body: StoredBody; facts: Extract<DecodedBody, { ok: true }> }
  | { status: 'failed'; codings: string[]; reason: string }

/**
 * A delivery's body with its Content-Encoding undone, for the body views. The engine decodes it
 * (Node's zlib has brotli, the page has not; the size is capped there); the page decodes the base64
 * as it does the stored body (in the body worker when big). 'none' when there is no coding to undo.
 */
export function useContentDecoding(deliveryId: string, codings: string[] | null, contentType: string | null): ContentDecodingState {
  const decodedBody = useDeliveries((s) => s.decodedBody)
  const formatter = useBodyFormatter()
  const key = codings?.join(',') ?? ''
  const wanted = key !== ''
  const [done, setDone] = useState<{ deliveryId: string; state: ContentDecodingState } | null>(null)

  useEffect(() => {
    if (!wanted) return
    const controller = new AbortController()
    const finish = (state: ContentDecodingState) => {
      if (!controller.signal.aborted) setDone({ deliveryId, state })
    }
    void decodedBody(deliveryId).then(async (outcome) => {
      if (!outcome.ok) return finish({ status: 'failed', codings: key.split(','), reason: outcome.error })
      const decoded = outcome.value
      if (!decoded.ok) return finish({ status: 'failed', codings: decoded.codings, reason: decoded.reason })
      try {
        const body = await formatter.decode(decoded.bodyBase64, contentType, controller.signal)
        finish({ status: 'decoded', body, facts: decoded })
      } catch (error) {
        if ((error as Error).name !== 'AbortError') finish({ status: 'failed', codings: decoded.codings, reason: 'the decoded body could not be read' })
      }
    })
    return () => controller.abort()
  }, [decodedBody, formatter, deliveryId, wanted, key, contentType])

  if (!wanted) return { status: 'none' }
  return done?.deliveryId === deliveryId ? done.state : { status: 'pending' }
}
