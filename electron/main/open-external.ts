import { shell } from 'electron'
import type { Logger } from '../engine/engine-types'
import { isOpenableExternally } from './external-url'

/** Hands an http(s) URL to the user's browser; anything else is refused and logged (checklist 15). */
export function openExternally(url: string, logger: Pick<Logger, 'warn'>): void {
  if (!isOpenableExternally(url)) {
    logger.warn('window: refused to open a non-http(s) URL', { scheme: url.split(':', 1)[0] })
    return
  }
  shell.openExternal(url).catch((error: unknown) => logger.warn('window: openExternal failed', { error: String(error) }))
}
