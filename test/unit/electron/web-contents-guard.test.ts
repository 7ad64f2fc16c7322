import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { createTrustedUrlCheck } from '../../../electron/main/trusted-origin'
import { guardAllWebContents, type PreventableEvent } from '../../../electron/main/web-contents-guard'

/** A stand-in for Electron's WebContents: real events, a window-open handler slot, DevTools state. */
class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | null = null
  devToolsOpen = false
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.windowOpenHandler = handler
  }
  closeDevTools() {
    this.devToolsOpen = false
  }
  /** Emits a preventable event the way Electron does; true when a listener prevented it. */
  attempt(event: string, ...args: unknown[]): boolean {
    let prevented = false
    const e: PreventableEvent = { preventDefault: () => (prevented = true) }
    this.emit(event, e, ...args)
    return prevented
  }
  openWindow(url: string) {
    return this.windowOpenHandler ? this.windowOpenHandler({ url }) : { action: 'allow' as const }
  }
  openDevTools() {
    this.devToolsOpen = true
    this.emit('devtools-opened')
  }
}

function setup(devTools: boolean) {
  const app = new EventEmitter()
  const openExternally = vi.fn()
  const logger = { warn: vi.fn() }
  guardAllWebContents(app, { isTrustedUrl: createTrustedUrlCheck(['app://hookscope']), openExternally, devTools, logger })
  const created = () => {
    const contents = new FakeWebContents()
    app.emit('web-contents-created', {}, contents)
    return contents
  }
  return { created, openExternally, logger }
}

describe('the global web-contents guard (issue 10 #3)', () => {
  it('applies to every web contents created, not just the main window', () => {
    const { created } = setup(true)
    for (const contents of [created(), created(), created()]) {
      expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true)
      expect(contents.openWindow('https://evil.example/')).toEqual({ action: 'deny' })
      expect(contents.attempt('will-attach-webview', {}, {})).toBe(true)
    }
  })

  it('keeps navigation on the app origin; links elsewhere go to the browser, frames just stop', () => {
    const { created, openExternally } = setup(true)
    const contents = created()
    expect(contents.attempt('will-navigate', 'app://hookscope/index.html#/keyring')).toBe(false)
    expect(contents.attempt('will-navigate', 'https://docs.example/page')).toBe(true)
    expect(openExternally).toHaveBeenCalledWith('https://docs.example/page')
    expect(contents.attempt('will-frame-navigate', 'file:///etc/passwd')).toBe(true)
    expect(contents.attempt('will-redirect', 'http://127.0.0.1:9/steal')).toBe(true)
    expect(contents.attempt('will-redirect', 'app://hookscope/other')).toBe(false)
    expect(openExternally).toHaveBeenCalledTimes(1)
  })

  it('never opens a window: the URL goes to the browser (which refuses non-http URLs itself)', () => {
    const { created, openExternally } = setup(true)
    expect(created().openWindow('https://example.com/')).toEqual({ action: 'deny' })
    expect(openExternally).toHaveBeenCalledWith('https://example.com/')
  })

  it('closes DevTools in packaged builds, and leaves them in development', () => {
    const packaged = setup(false).created()
    packaged.openDevTools()
    expect(packaged.devToolsOpen).toBe(false)
    const development = setup(true).created()
    development.openDevTools()
    expect(development.devToolsOpen).toBe(true)
  })
})

// The window module imports 'electron', which must never load in a test: a stand-in BrowserWindow
// records the options it was built with.
const built: { webPreferences?: Record<string, unknown> }[] = []
vi.mock('electron', () => ({
  BrowserWindow: class {
    webContents = new EventEmitter()
    constructor(options: { webPreferences?: Record<string, unknown> }) {
      built.push(options)
    }
    once() {}
    on() {}
    loadURL() {
      return Promise.resolve()
    }
  }
}))

describe('the main window', () => {
  it('has DevTools off when packaged, on in development, and the sandbox always', async () => {
    const { createMainWindow } = await import('../../../electron/main/window')
    const logger = { warn: vi.fn() }
    createMainWindow({ preloadPath: '/p.js', entryUrl: 'app://hookscope/index.html', devTools: false, logger })
    createMainWindow({ preloadPath: '/p.js', entryUrl: 'http://localhost:5173/', devTools: true, logger })
    expect(built.map((options) => options.webPreferences)).toEqual([
      expect.objectContaining({ devTools: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false }),
      expect.objectContaining({ devTools: true, sandbox: true })
    ])
  })
})
