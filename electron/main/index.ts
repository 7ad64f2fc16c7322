import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, webContents } from 'electron'
import { type ErrorCode, isEngineError } from '../../shared/errors'
import { systemClock } from '../engine/clock'
import type { Engine } from '../engine/engine-types'
import { type LocalAccessPoint, startLocalAccessPoint } from '../engine/http/local-access-point'
import { createEngine } from '../engine/index'
import { createConsoleLogger } from '../engine/logger'
import { registerAppScheme, serveRendererBuild } from './app-protocol'
import { createBroadcast } from './broadcast'
import { contentSecurityPolicy } from './content-security-policy'
import { devServerUrlFrom } from './dev-server'
import { bindEngineIpc } from './engine-ipc'
import { findNativeBinding } from './native-binding'
import { openExternally } from './open-external'
import { createOsKeyProtector } from './os-key-protector'
import { APP_ENTRY_URL, createTrustedUrlCheck, trustedOrigins } from './trusted-origin'
import { guardAllWebContents } from './web-contents-guard'
import { createMainWindow, hardenSession } from './window'

// The Electron shell only hosts: engine lifecycle, one window, the IPC adapter. Product logic
// lives in electron/engine, which the headless CLI runs unchanged.

const STORE_ERRORS: ReadonlySet<ErrorCode> = new Set([
  'STORE_LOCKED',
  'STORE_UNREADABLE',
  'STORE_NOT_HOOKSCOPE',
  'STORE_TOO_NEW',
  'STORE_READ_ONLY',
  'STORE_DAMAGED'
])
/** Quitting waits this long for the engine to drain and close the store, then gives up. */
const STOP_TIMEOUT_MS = 15_000

// out/main/index.js sits next to out/preload and out/renderer in the build.
const PRELOAD_PATH = join(__dirname, '../preload/index.js')
const RENDERER_DIR = join(__dirname, '../renderer')

const devServerUrl = devServerUrlFrom(process.env.ELECTRON_RENDERER_URL, app.isPackaged)
const isTrustedUrl = createTrustedUrlCheck(trustedOrigins(devServerUrl))
const logger = createConsoleLogger({ level: devServerUrl ? 'debug' : 'info' })

// Both must happen before `ready`.
registerAppScheme()
app.enableSandbox()
// Every web contents, whoever creates it: navigation, window.open, <webview>, DevTools when packaged.
guardAllWebContents(app, { isTrustedUrl, openExternally: (url) => openExternally(url, logger), devTools: !app.isPackaged, logger })

let mainWindow: BrowserWindow | undefined
let unbindIpc: (() => void) | undefined
let localAccess: LocalAccessPoint | undefined
let shutdown: 'running' | 'stopping' | 'stopped' = 'running'

function openMainWindow(): void {
  const iconPath = join(app.getAppPath(), 'resources', 'icon.png')
  mainWindow = createMainWindow({
    preloadPath: PRELOAD_PATH,
    entryUrl: devServerUrl ?? APP_ENTRY_URL,
    devTools: !app.isPackaged,
    iconPath: existsSync(iconPath) ? iconPath : undefined,
    logger
  })
  mainWindow.on('closed', () => {
    mainWindow = undefined
  })
}

function focusMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

/** Uses the Electron build of better-sqlite3 made by `npm start` when it matches this runtime. */
function resolveNativeBinding(): string | undefined {
  const runtimeAbi = Number(process.versions.modules)
  const lookup = findNativeBinding(app.getAppPath(), runtimeAbi)
  if (lookup.kind === 'found') return lookup.path
  if (lookup.kind === 'wrong-abi') {
    logger.warn('ignoring a stale Electron build of better-sqlite3; `npm start` rebuilds it', {
      path: lookup.path,
      builtFor: lookup.abis,
      runtimeAbi
    })
  }
  return undefined
}

/** Shows why the app cannot run and exits. The data folder is never touched: no reset, no delete. */
function failStartup(error: unknown, dataDir: string): void {
  if (isEngineError(error) && STORE_ERRORS.has(error.code)) {
    logger.error('startup: data folder cannot be opened', { code: error.code, dataDir })
    dialog.showErrorBox(
      'Hookscope cannot open its data folder',
      `${error.message}\n\nData folder: ${dataDir}\n\nHookscope changed nothing in it and will now close.`
    )
  } else {
    const detail = error instanceof Error ? error.message : String(error)
    logger.error('startup failed', { error: error instanceof Error ? error.stack : detail })
    // A better-sqlite3 built for Node instead of Electron is the likely cause of a native load error.
    const hint = /NODE_MODULE_VERSION|better_sqlite3|was compiled against/i.test(detail)
      ? '\n\nThe SQLite module is not built for Electron. Start the app with `npm start`, which builds it.'
      : ''
    dialog.showErrorBox('Hookscope could not start', `${detail}${hint}`)
  }
  app.exit(1)
}

async function startup(): Promise<Engine | undefined> {
  await app.whenReady()
  const csp = contentSecurityPolicy(devServerUrl)
  hardenSession(session.defaultSession, csp, isTrustedUrl)
  if (!devServerUrl) serveRendererBuild(session.defaultSession, RENDERER_DIR, csp)

  const dataDir = join(app.getPath('userData'), 'data')
  let engine: Engine
  try {
    engine = await createEngine(
      { dataDir, host: 'desktop', version: app.getVersion(), nativeBinding: resolveNativeBinding() },
      // safeStorage is usable only after app ready; it protects the keyring's data key.
      {
        clock: systemClock,
        logger,
        keyProtector: createOsKeyProtector(safeStorage),
        // "Export" in the UI: the engine writes the file where the user chose, with progress events.
        chooseSavePath: (suggestedName) => chooseSavePath(suggestedName)
      }
    )
  } catch (error) {
    failStartup(error, dataDir)
    return undefined
  }

  const broadcast = createBroadcast(() => webContents.getAllWebContents(), isTrustedUrl, logger)
  unbindIpc = bindEngineIpc(ipcMain, engine, isTrustedUrl, broadcast, logger)
  try {
    await engine.start()
  } catch (error) {
    await engine.stop().catch(() => undefined)
    failStartup(error, dataDir)
    return undefined
  }
  localAccess = await startLocalAccess(engine, dataDir)
  openMainWindow()
  return engine
}

/**
 * The engine's local API and DIR/hookscope-engine.json, through which `hookscope replay`, `send`,
 * `ca export`, `cert client` reach this engine while the app holds the data folder (they share the
 * default folder). Without it the app runs on; those commands then say the folder is in use.
 */
async function startLocalAccess(engine: Engine, dataDir: string): Promise<LocalAccessPoint | undefined> {
  try {
    return await startLocalAccessPoint({ engine, dataDir, version: app.getVersion(), logger })
  } catch (error) {
    logger.warn('the CLI cannot reach this app: its local API did not start', { error: error instanceof Error ? error.message : String(error) })
    return undefined
  }
}

/** The native save dialog, attached to the window; null when cancelled. */
async function chooseSavePath(suggestedName: string): Promise<string | null> {
  const options = { title: 'Export deliveries', defaultPath: join(app.getPath('downloads'), suggestedName) }
  const result = mainWindow && !mainWindow.isDestroyed() ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options)
  return result.canceled || !result.filePath ? null : result.filePath
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      logger.warn('quit: engine did not stop in time; quitting anyway', { ms })
      resolve()
    }, ms)
    work.then(resolve, reject).finally(() => clearTimeout(timer))
  })
}

async function stopEverything(started: Promise<Engine | undefined>): Promise<void> {
  // Quitting during startup waits for it, so the store is never left half-opened.
  const engine = await started
  try {
    // Before the engine (and its file with it): no command reaches an engine that is stopping.
    await localAccess
      ?.stop()
      .catch((error: unknown) => logger.warn('quit: local API did not close cleanly', { error: error instanceof Error ? error.message : String(error) }))
    if (engine) await withTimeout(engine.stop(), STOP_TIMEOUT_MS)
  } catch (error) {
    logger.error('quit: engine stop failed', { error: error instanceof Error ? error.stack : String(error) })
  } finally {
    unbindIpc?.()
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another Hookscope owns the data folder and the capture ports; it is focused instead.
  app.quit()
} else {
  const started = startup().catch((error: unknown) => {
    failStartup(error, join(app.getPath('userData'), 'data'))
    return undefined
  })

  app.on('second-instance', focusMainWindow)
  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open brings one back.
    void started.then((engine) => {
      if (engine && BrowserWindow.getAllWindows().length === 0) openMainWindow()
    })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('before-quit', (event) => {
    if (shutdown === 'stopped') return
    // Hold the quit until the engine has answered in-flight requests and closed the store.
    event.preventDefault()
    if (shutdown === 'stopping') return
    shutdown = 'stopping'
    void stopEverything(started).finally(() => {
      shutdown = 'stopped'
      app.quit()
    })
  })
  // Ctrl-C in the terminal running `npm start` should also stop the engine cleanly.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
}
