import { BrowserWindow, shell, type Session } from 'electron'
import type { Logger } from '../engine/engine-types'
import { withContentSecurityPolicy } from './content-security-policy'
import { isOpenableExternally } from './external-url'

export interface MainWindowOptions {
  preloadPath: string
  /** What to load: the dev server's URL, or app://hookscope/index.html. */
  entryUrl: string
  isTrustedUrl: (url: string | undefined) => boolean
  iconPath?: string
  logger: Pick<Logger, 'warn'>
}

function openExternally(url: string, logger: Pick<Logger, 'warn'>): void {
  if (!isOpenableExternally(url)) {
    logger.warn('window: refused to open a non-http(s) URL', { scheme: url.split(':', 1)[0] })
    return
  }
  shell.openExternal(url).catch((error: unknown) => logger.warn('window: openExternal failed', { error: String(error) }))
}

/**
 * Session-wide guards (Electron security checklist 7 and 5): our CSP on every response, and no
 * permission (camera, notifications, clipboard-read, ...) is granted to web content, except
 * sanitized clipboard writes from our own pages ("Copy as cURL").
 */
export function hardenSession(session: Session, csp: string, isTrustedUrl: (url: string) => boolean): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, csp) })
  })
  const allowed = (permission: string, url: string) => permission === 'clipboard-sanitized-write' && isTrustedUrl(url)
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(allowed(permission, details.requestingUrl)))
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowed(permission, requestingOrigin))
}

/** The one window: sandboxed, isolated, no Node, and unable to navigate away from the app. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { logger, isTrustedUrl } = options
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Hookscope',
    backgroundColor: '#0f172a',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      spellcheck: false
    }
  })

  const contents = win.webContents
  // Checklist 13: in-page navigation stays on our origin; links elsewhere open in the browser.
  contents.on('will-navigate', (event, url) => {
    if (isTrustedUrl(url)) return
    event.preventDefault()
    openExternally(url, logger)
  })
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault()
  })
  // Checklist 14: never a second Electron window; http(s) targets go to the user's browser.
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, logger)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.on('render-process-gone', (_event, details) => {
    logger.warn('window: renderer process gone', { reason: details.reason, exitCode: details.exitCode })
  })

  win.once('ready-to-show', () => win.show())
  win.loadURL(options.entryUrl).catch((error: unknown) => {
    // Show the window anyway: an invisible app that never appears looks like a hang.
    logger.warn('window: renderer failed to load', { url: options.entryUrl, error: String(error) })
    if (!win.isDestroyed()) win.show()
  })
  return win
}
