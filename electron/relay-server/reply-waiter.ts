import type { ReplyMessage } from './relay-types'

export type ResponseReply = Extract<ReplyMessage, { kind: 'response' }>
export type RequeuedReply = Extract<ReplyMessage, { kind: 'requeued' }>

/**
 * What the instance holding a live sender hears about its delivery: the client's answer, or the
 * news that the client left with it. Messages are kept, not only awaited: the client's answer can
 * arrive while the relay is busy turning the delivery into a queued one (its wait timed out), and
 * whether that answer is the sender's then depends on which of the two the queue saw first.
 */
export class ReplyWaiter {
  response: ResponseReply | null = null
  requeued: RequeuedReply | null = null
  private wake: (() => void) | undefined

  receive(reply: ReplyMessage): void {
    if (reply.kind === 'response') this.response ??= reply
    else this.requeued ??= reply
    this.wake?.()
  }

  /** Resolves true once `ready()` holds, false if it still does not after `timeoutMs`. */
  until(ready: () => boolean, timeoutMs: number): Promise<boolean> {
    if (ready()) return Promise.resolve(true)
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined
        resolve(false)
      }, timeoutMs)
      this.wake = () => {
        if (!ready()) return
        clearTimeout(timer)
        this.wake = undefined
        resolve(true)
      }
    })
  }
}
