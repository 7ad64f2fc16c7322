import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium'
import { type ListenProcess, startListen } from '../helpers/cli-process'

/**
 * The page and its connection to the headless server (issue 11, defects 3 and 5): a wrong token,
 * a server that goes away, a server restarted under an open tab, and what the page asks at startup.
 */

const WAIT = { timeout: 15_000 }

let dataDir: string
let browser: Browser
const running: ListenProcess[] = []

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hookscope-e2e-conn-'))
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  for (const cli of running) await cli.stop().catch(() => cli.kill())
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

async function listen(extra: string[] = []): Promise<ListenProcess & { ui: NonNullable<ListenProcess['ui']> }> {
  const cli = await startListen(dataDir, extra)
  running.push(cli)
  if (!cli.ui) throw new Error('no UI line')
  return cli as ListenProcess & { ui: NonNullable<ListenProcess['ui']> }
}

/** Records the API methods the page calls and the WebSockets it opens. */
function watch(page: Page) {
  const methods: string[] = []
  let sockets = 0
  page.on('request', (request) => {
    const match = /\/api\/invoke\/([\w.]+)$/.exec(new URL(request.url()).pathname)
    if (match) methods.push(match[1]!)
  })
  page.on('websocket', () => sockets++)
  return { methods, sockets: () => sockets }
}

describe('the page and its engine', () => {
  it('makes every startup call once', async () => {
    const cli = await listen()
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const seen = watch(page)
    await page.goto(`${cli.ui.url}#token=${cli.ui.token}&run=${cli.ui.run}`)
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT)
    await page.getByTestId('empty-state').waitFor(WAIT)
    await page.locator('[data-testid="endpoint-item"][data-status="listening"]').waitFor(WAIT)
    // Everything the stores load at startup has been asked for (the keyring badge shows last).
    await page.getByTestId('nav-keyring-hint').waitFor(WAIT)
    const counts = new Map<string, number>()
    for (const method of seen.methods) counts.set(method, (counts.get(method) ?? 0) + 1)
    expect(counts.get('deliveries.list')).toBe(1)
    expect(counts.get('endpoints.list')).toBe(1)
    expect([...counts].filter(([, n]) => n > 1)).toEqual([])
    await page.close()
    await cli.stop()
    running.pop()
  })

  it('shows one full-page message for a wrong token, and stops trying', async () => {
    const cli = await listen()
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const seen = watch(page)
    await page.goto(`${cli.ui.url}#token=not-the-token&run=${cli.ui.run}`)
    const fatal = page.locator('[data-testid="fatal-screen"][data-reason="wrong-token"]')
    await fatal.waitFor(WAIT)
    expect(await fatal.textContent()).toContain('refused this page’s access token')
    // Nothing else: no list, no form, no banners.
    expect(await page.locator('[data-testid="delivery-list"], [data-testid="endpoints-panel"], [role="alert"]:not([data-testid="fatal-screen"])').count()).toBe(
      0
    )
    expect(await page.locator('[data-testid="fatal-screen"]').count()).toBe(1)
    // No more connection attempts: over a window in which a retrying page (every 0.25-5 s) would reconnect.
    const socketsAtFailure = seen.sockets()
    const callsAtFailure = seen.methods.length
    await page.waitForTimeout(3_000)
    expect(seen.sockets()).toBe(socketsAtFailure)
    expect(seen.methods.length).toBe(callsAtFailure)
    await page.close()
    await cli.stop()
    running.pop()
  })

  it('stops claiming "listening" when the engine goes away, and sends a tab of an earlier run to the new URL', async () => {
    const first = await listen()
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(`${first.ui.url}#token=${first.ui.token}&run=${first.ui.run}`)
    const item = page.getByTestId('endpoint-item').first()
    await item.and(page.locator('[data-reachable="true"]')).waitFor(WAIT)
    expect(await item.getByTestId('endpoint-status').textContent()).toBe('listening')

    await first.stop()
    running.pop()
    await item.and(page.locator('[data-reachable="false"]')).waitFor(WAIT)
    expect(await item.getByTestId('endpoint-status').textContent()).toBe('unknown')
    expect(await page.getByTestId('connection-status').getAttribute('data-state')).toBe('reconnecting')

    // The same UI port, a new run with a new token: the open tab learns it is from the earlier run.
    const second = await listen(['--ui-port', String(first.ui.port)])
    expect(second.ui.run).not.toBe(first.ui.run)
    const fatal = page.locator('[data-testid="fatal-screen"][data-reason="earlier-run"]')
    await fatal.waitFor(WAIT)
    expect(await fatal.textContent()).toContain('This tab belongs to an earlier run of Hookscope: open the new URL')

    // The old address opened afresh says the same; the new one works.
    const stale = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await stale.goto(`${first.ui.url}#token=${first.ui.token}&run=${first.ui.run}`)
    await stale.locator('[data-testid="fatal-screen"][data-reason="earlier-run"]').waitFor(WAIT)
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await fresh.goto(`${second.ui.url}#token=${second.ui.token}&run=${second.ui.run}`)
    await fresh.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT)
    for (const p of [page, stale, fresh]) await p.close()
  }, 120_000)
})
