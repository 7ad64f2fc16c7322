import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PRODUCTION_CSP } from '../../../electron/main/content-security-policy'
import { contentTypeFor, FALLBACK_CONTENT_TYPE } from '../../../electron/main/content-type'
import { resolveRendererPath } from '../../../electron/main/renderer-path'
import { createRendererHandler } from '../../../electron/main/renderer-response'

const root = resolve('/srv/hookscope/out/renderer')

describe('resolveRendererPath', () => {
  it.each([
    ['app://hookscope/', 'index.html'],
    ['app://hookscope', 'index.html'],
    ['app://hookscope/index.html', 'index.html'],
    ['app://hookscope/assets/index-abc123.js', 'assets/index-abc123.js'],
    ['app://hookscope/assets/index.js?v=1#frag', 'assets/index.js'],
    ['app://hookscope/assets/', 'assets/index.html'],
    ['app://hookscope/fonts/My%20Font.woff2', 'fonts/My Font.woff2']
  ])('maps %s inside the root', (url, expected) => {
    expect(resolveRendererPath(root, url)).toBe(join(root, expected))
  })

  it.each([
    // The URL parser folds these before we see them, so they can only land inside the root.
    ['app://hookscope/../../etc/passwd', 'etc/passwd'],
    ['app://hookscope/%2e%2e/%2E%2e/etc/passwd', 'etc/passwd'],
    ['app://hookscope/assets/../index.html', 'index.html']
  ])('keeps the folded dot-segments of %s inside the root', (url, expected) => {
    expect(resolveRendererPath(root, url)).toBe(join(root, expected))
  })

  it.each([
    'app://hookscope/..%2f..%2fetc%2fpasswd',
    'app://hookscope/%2e%2e%2f%2e%2e%2fetc/passwd',
    'app://hookscope/..%5c..%5cetc%5cpasswd',
    'app://hookscope/..\\..\\etc\\passwd',
    'app://hookscope/assets\\..\\..\\secret',
    'app://hookscope/%00index.html',
    'app://hookscope/C:%5cWindows%5cwin.ini',
    'app://hookscope/C:/Windows/win.ini',
    'app://hookscope/%E0%A4%A',
    'not a url'
  ])('refuses %s', (url) => {
    expect(resolveRendererPath(root, url)).toBeNull()
  })

  it('never returns a path outside the root for hostile input', () => {
    const hostile = ['..', '%2e%2e', '%252e%252e', '.%2e', '%2e.', '..%2f', '..%5c', '\\..', '%c0%ae%c0%ae', '...']
    for (const a of hostile) {
      for (const b of hostile) {
        const result = resolveRendererPath(root, `app://hookscope/${a}/${b}/etc/passwd`)
        if (result !== null) expect(result.startsWith(root + sep)).toBe(true)
      }
    }
  })
})

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/app.JS', 'text/javascript; charset=utf-8'],
    ['assets/app.css', 'text/css; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
    ['icon.png', 'image/png'],
    ['font.woff2', 'font/woff2'],
    ['index.js.map', 'application/json; charset=utf-8'],
    ['module.wasm', 'application/wasm']
  ])('%s → %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type)
  })

  it('falls back to opaque bytes for unknown or missing extensions', () => {
    expect(contentTypeFor('blob.xyz')).toBe(FALLBACK_CONTENT_TYPE)
    expect(contentTypeFor('LICENSE')).toBe(FALLBACK_CONTENT_TYPE)
  })
})

describe('createRendererHandler (real folder)', () => {
  let base: string
  let rendererDir: string
  let handle: (request: Request) => Promise<Response>

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'hookscope-protocol-'))
    rendererDir = join(base, 'renderer')
    mkdirSync(join(rendererDir, 'assets'), { recursive: true })
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Hookscope</title>')
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(base, 'secret.txt'), 'outside the renderer')
    symlinkSync(join(base, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'))
    handle = createRendererHandler(rendererDir, PRODUCTION_CSP)
  })
  afterAll(() => rmSync(base, { recursive: true, force: true }))

  it('serves index.html for / with its type and the CSP', async () => {
    const response = await handle(new Request('app://hookscope/'))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(PRODUCTION_CSP)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toContain('<title>Hookscope</title>')
  })

  it('serves an asset with a script type', async () => {
    const response = await handle(new Request('app://hookscope/assets/app.js'))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await response.text()).toBe('console.log(1)')
  })

  it('answers HEAD without a body', async () => {
    const response = await handle(new Request('app://hookscope/assets/app.js', { method: 'HEAD' }))
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('')
  })

  it.each([
    'app://hookscope/missing.js',
    'app://hookscope/assets',
    'app://hookscope/..%2fsecret.txt',
    'app://hookscope/assets/link.txt',
    'app://other-host/index.html'
  ])('answers 404 to %s', async (url) => {
    const response = await handle(new Request(url))
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('outside the renderer')
    expect(response.headers.get('content-security-policy')).toBe(PRODUCTION_CSP)
  })

  it('answers 405 to anything but GET and HEAD', async () => {
    const response = await handle(new Request('app://hookscope/index.html', { method: 'POST', body: 'x' }))
    expect(response.status).toBe(405)
  })
})
