import type { Logger } from '../engine/engine-types'

/** The parts of Electron's `app` and `WebContents` the guard uses (tests pass fakes; no 'electron' import). */
export interface PreventableEvent {
  preventDefault(): void
}
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown
  on(event: 'devtools-opened', listener: () => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
  closeDevTools(): void
}
export interface AppLike {
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown
}

export interface GuardOptions {
  isTrustedUrl: (url: string) => boolean
  /** Hands an http(s) URL to the user's browser (refusing anything else). */
  openExternally: (url: string) => void
  /** False in packaged builds: DevTools would let anyone at the machine drive the engine API. */
  devTools: boolean
  logger: Pick<Logger, 'warn'>
}

/**
 * One guard for every web contents the app ever creates (windows, frames' hosts, DevTools, and any
 * a future feature adds): Electron security checklist items 13, 14 and 12. Navigation stays on our
 * origin (links elsewhere go to the browser), no window is ever opened, no <webview> is attached,
 * and in packaged builds DevTools are closed as soon as they open.
 */
export function guardAllWebContents(app: AppLike, options: GuardOptions): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, options))
}

export function guardWebContents(contents: WebContentsLike, options: GuardOptions): void {
  const { isTrustedUrl, openExternally, logger } = options
  contents.on('will-navigate', (event, url) => {
    if (isTrustedUrl(url)) return
    event.preventDefault()
    openExternally(url)
  })
  // Frames too (an <iframe> navigating elsewhere); those never open the browser.
  contents.on('will-frame-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => {
    event.preventDefault()
    logger.warn('refused to attach a <webview>')
  })
  if (!options.devTools) {
    contents.on('devtools-opened', () => {
      logger.warn('DevTools are disabled in packaged builds')
      contents.closeDevTools()
    })
  }
}
