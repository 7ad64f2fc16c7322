import { BrowserWindow, type Session } from 'electron'
import type { Logger } from '../engine/engine-types'
import { withContentSecurityPolicy } from './content-security-policy'

export interface MainWindowOptions {
  preloadPath: string
  /** What to load: the dev server's URL, or app://hookscope/index.html. */
  entryUrl: string
  iconPath?: string
  /** False in packaged builds. */
  devTools: boolean
  logger: Pick<Logger, 'warn'>
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

/**
 * The one window: sandboxed, isolated, no Node. Navigation, window opening and <webview> are
 * guarded for every web contents by web-contents-guard.ts (registered once in index.ts).
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { logger } = options
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
      devTools: options.devTools,
      allowRunningInsecureContent: false,
      spellcheck: false
    }
  })

  const contents = win.webContents
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
