import type { Logger } from '../engine/engine-types'
import type { Broadcast } from './engine-ipc'

/** The slice of Electron's WebContents a broadcast needs (structural, so it is testable in Node). */
export interface WebContentsLike {
  isDestroyed(): boolean
  getURL(): string
  send(channel: string, ...args: unknown[]): void
}

/**
 * Sends engine events to whichever renderers exist right now. Events outlive windows (a webhook
 * can arrive while a window is closing), so destroyed targets are skipped, and a page that is
 * not our renderer never receives captured data.
 */
export function createBroadcast(
  targets: () => Iterable<WebContentsLike>,
  isTrustedUrl: (url: string | undefined) => boolean,
  logger?: Pick<Logger, 'warn'>
): Broadcast {
  return (channel, payload) => {
    for (const contents of targets()) {
      if (contents.isDestroyed()) continue
      if (!isTrustedUrl(contents.getURL())) continue
      try {
        contents.send(channel, payload)
      } catch (error) {
        // A renderer torn down between the check and the send must not break the engine's emit loop.
        logger?.warn('ipc: could not deliver an engine event', { error: String(error) })
      }
    }
  }
}
