import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Delivery } from '../../shared/model/delivery'
import { sendToCapture } from '../helpers/capture-send'
import { launchChromium } from '../helpers/chromium'
import { type ListenProcess, REPO_ROOT, startListen } from '../helpers/cli-process'
import { runCurlInBash } from '../helpers/run-shell'
import { invokeUi } from '../helpers/ui-api'

/**
 * The headless CLI serving the built renderer, driven by Debian's Chromium: deliveries sent to
 * the capture URL must appear live, open in the inspector exactly as received, stay inert when
 * hostile, and replay byte for byte through "Copy as cURL". Needs `npx electron-vite build` first
 * (`npm test` does it). Every wait is bounded.
 */

const WAIT = { timeout: 10_000 }

let cli: ListenProcess
let ui: NonNullable<ListenProcess['ui']>
let browser: Browser
let page: Page
let dataDir: string
const problems: string[] = []

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hookscope-e2e-'))
  cli = await startListen(dataDir)
  if (!cli.ui) throw new Error('the CLI printed no UI line')
  ui = cli.ui
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 860 } })
  // CSP violations and React errors surface here; the last test asserts there were none.
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  await page.goto(`${ui.url}#token=${ui.token}`)
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT)
})

afterAll(async () => {
  await browser?.close()
  await cli?.stop().catch(() => cli.kill())
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

/** Sends exactly these request bytes to the capture port; resolves with the new delivery's id. */
function sendRaw(head: string, body: Buffer = Buffer.alloc(0)): Promise<string> {
  return sendToCapture(cli.capturePort, head, body, 10_000)
}

/** Runs a command as if pasted into bash; resolves with its stdout. */
function runInBash(script: string): Promise<string> {
  return runCurlInBash(script)
}

/** Reads a delivery through the same HTTP API the UI uses; rejects with the engine's error code. */
function getDelivery(id: string): Promise<Delivery> {
  return invokeUi(ui, 'deliveries.get', { id })
}

const row = (id: string) => page.locator(`[data-testid="delivery-row"][data-id="${id}"]`)
const host = () => `Host: 127.0.0.1:${cli.capturePort}\r\n`

async function open(id: string): Promise<void> {
  await row(id).click()
  await page.locator(`[data-testid="delivery-detail"][data-id="${id}"]`).waitFor(WAIT)
}

async function headerRows(): Promise<string[][]> {
  return (
    page
      // The request's headers: the first table (the answer Hookscope sent and trailers have their own below).
      .locator('[data-testid="headers-table"]')
      .first()
      .locator('tr')
      .evaluateAll((rows) => rows.map((tr) => Array.from((tr as HTMLTableRowElement).cells, (cell) => cell.textContent ?? '')))
  )
}

// Written out by hand: the 20-digit id must reach the engine verbatim (JSON.stringify would round it).
const jsonBody = Buffer.from(
  '{"event":"push","marker":"hookscope-needle","id":12345678901234567890,' +
    '"repository":{"name":"hookscope","topics":["webhooks","inspector"],"private":false},' +
    '"quote":"it\'s \\"$HOME\\" \\\\ ü"}'
)
let jsonId = ''

describe('headless UI in Chromium', () => {
  it('shows the capture URL and a ready curl command before the first delivery', async () => {
    await page.getByTestId('empty-state').waitFor(WAIT)
    expect(await page.getByTestId('capture-url').textContent()).toBe(cli.captureUrl)
    const sample = (await page.getByTestId('sample-curl').textContent()) ?? ''
    expect(sample).toContain(cli.captureUrl)

    const answer = await runInBash(sample)
    const id = /"id":"([^"]+)"/.exec(answer)?.[1]
    expect(id).toBeTruthy()
    await row(id!).waitFor(WAIT)
    expect(await page.getByTestId('empty-state').count()).toBe(0)
  })

  it('adds deliveries live and shows pretty JSON and headers in received order and case', async () => {
    jsonId = await sendRaw(
      `POST /github/push?ref=main HTTP/1.1\r\n${host()}X-B: 2\r\nx-a: 1\r\nX-Dup: one\r\nX-Dup: two\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${jsonBody.length}\r\n\r\n`,
      jsonBody
    )
    await row(jsonId).waitFor(WAIT)
    // Newest first.
    expect(await page.getByTestId('delivery-row').first().getAttribute('data-id')).toBe(jsonId)
    expect(await row(jsonId).textContent()).toContain('/github/push?ref=main')

    await open(jsonId)
    expect(await page.getByTestId('request-line').textContent()).toBe('POST/github/push?ref=mainHTTP/1.1')
    expect(await headerRows()).toEqual([
      ['Host', `127.0.0.1:${cli.capturePort}`],
      ['X-B', '2'],
      ['x-a', '1'],
      ['X-Dup', 'one'],
      ['X-Dup', 'two'],
      ['Content-Type', 'application/json'],
      ['Content-Length', String(jsonBody.length)]
    ])

    const json = page.getByTestId('json-view')
    await json.waitFor(WAIT)
    expect(await page.getByTestId('body-tab-json').getAttribute('aria-selected')).toBe('true')
    const text = (await json.textContent()) ?? ''
    expect(text).toContain('"marker": "hookscope-needle"')
    expect(text).toContain('"id": 12345678901234567890') // not rounded by JSON.parse
    expect(text).toContain('"webhooks"') // three levels open by default

    // Collapse the "repository" object, then expand it again.
    const repositoryToggle = json.locator('.json-node', { hasText: '"repository"' }).last().getByTestId('json-toggle').first()
    await repositoryToggle.click()
    expect(await json.getByTestId('json-collapsed').count()).toBe(1)
    expect(await json.textContent()).not.toContain('"webhooks"')
    await repositoryToggle.click()
    expect(await json.getByTestId('json-collapsed').count()).toBe(0)
  })

  it('renders hostile payloads as inert text', async () => {
    const hostile = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    const id = await sendRaw(
      `POST /evil HTTP/1.1\r\n${host()}Content-Type: text/html\r\nX-Evil: <img src=x onerror="window.__xss=3">\r\n` +
        `Content-Length: ${Buffer.byteLength(hostile)}\r\n\r\n`,
      Buffer.from(hostile)
    )
    await row(id).waitFor(WAIT)
    await open(id)
    expect(await page.getByTestId('raw-view').textContent()).toBe(hostile)
    expect(await headerRows()).toContainEqual(['X-Evil', '<img src=x onerror="window.__xss=3">'])
    for (const tab of ['xml', 'json', 'form', 'hex', 'raw']) await page.getByTestId(`body-tab-${tab}`).click()
    await page.getByTestId('body-tab-xml').click()
    expect(await page.getByTestId('xml-view').textContent()).toContain('<script>window.__xss=2</script>')

    expect(await page.locator('[data-testid="delivery-detail"] img, [data-testid="delivery-detail"] script').count()).toBe(0)
    expect(await page.evaluate(() => (window as Window & { __xss?: unknown }).__xss)).toBeUndefined()
  })

  it('shows a binary body as a hex dump by default', async () => {
    const bytes = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 7) & 0xff))
    bytes[0] = 0
    const id = await sendRaw(`PUT /upload HTTP/1.1\r\n${host()}Content-Type: application/octet-stream\r\nContent-Length: ${bytes.length}\r\n\r\n`, bytes)
    await row(id).waitFor(WAIT)
    await open(id)
    await page.getByTestId('hex-view').waitFor(WAIT)
    const columns = await page
      .getByTestId('hex-row')
      .first()
      .evaluate((element) => Array.from(element.children, (child) => child.textContent))
    expect(columns).toEqual(['00000000', '00 07 0e 15 1c 23 2a 31  38 3f 46 4d 54 5b 62 69', '.....#*18?FMT[bi'])
    expect(await page.getByTestId('hex-row').count()).toBe(4)
  })

  it('copies a cURL command that replays the delivery byte for byte', async () => {
    await open(jsonId)
    await page.getByTestId('copy-curl').click()
    const command = (await page.getByTestId('curl-command').textContent()) ?? ''
    expect(command).toMatch(/^curl -X POST /)

    const answer = await runInBash(command)
    const replayId = /"id":"([^"]+)"/.exec(answer)?.[1]
    expect(replayId).toBeTruthy()
    const [original, replay] = await Promise.all([getDelivery(jsonId), getDelivery(replayId!)])
    expect(replay.method).toBe(original.method)
    expect(replay.url).toBe(original.url)
    expect(replay.headers).toEqual(original.headers)
    expect(replay.bodyBase64).toBe(original.bodyBase64)
    await row(replayId!).waitFor(WAIT)
  })

  it('filters through the engine by free text, then shows everything again', async () => {
    const total = await page.getByTestId('delivery-row').count()
    await page.getByTestId('filter-input').fill('hookscope-needle')
    // The original and its cURL replay carry the marker; nothing else does.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="delivery-row"]').length === 2, undefined, WAIT)
    expect(await row(jsonId).count()).toBe(1)
    await page.getByTestId('filter-input').fill('')
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="delivery-row"]').length === n, total, WAIT)

    await open(jsonId)
    if (await page.getByTestId('curl-panel').count()) await page.getByTestId('curl-panel').getByLabel('Close').click()
    mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true })
    await page.screenshot({ path: join(REPO_ROOT, 'test-results', 'ui.png') })
  })

  it('manages endpoints and shows engine errors as messages', async () => {
    const panel = page.getByTestId('endpoints-panel')
    const item = (name: string) => panel.getByTestId('endpoint-item').filter({ hasText: name })

    // A port that is taken (our own capture port): the engine's reason must be on screen.
    await page.getByTestId('endpoint-name-input').fill('Busy')
    await page.getByTestId('endpoint-port-input').fill(String(cli.capturePort))
    await page.getByTestId('endpoint-create').click()
    const reason = panel.locator('[data-testid="endpoints-error"], [data-testid="endpoint-error"]').first()
    await reason.waitFor(WAIT)
    expect(await reason.textContent()).toContain('already in use')

    // Any free port: listening, with its capture URL shown, then stopped and deleted.
    await page.getByTestId('endpoint-name-input').fill('Second')
    await page.getByTestId('endpoint-port-input').fill('')
    await page.getByTestId('endpoint-create').click()
    await item('Second').and(page.locator('[data-status="listening"]')).waitFor(WAIT)
    expect(await item('Second').getByTestId('endpoint-url').textContent()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    await item('Second').getByTestId('endpoint-toggle').click()
    await item('Second').and(page.locator('[data-status="stopped"]')).waitFor(WAIT)
    await item('Second').getByTestId('endpoint-delete').click()
    await item('Second').getByTestId('endpoint-delete-confirm').click()
    await item('Second').waitFor({ state: 'detached', ...WAIT })
  })

  it('shows UTF-8 header values as text, marks the others, and lists chunked trailers', async () => {
    const utf8 = Buffer.from('Zoë Ångström', 'utf8').toString('latin1')
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]).toString('latin1')
    const id = await sendRaw(
      `POST /bytes HTTP/1.1\r\n${host()}X-Name: ${utf8}\r\nX-Legacy: ${latin1}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      Buffer.from('2\r\nhi\r\n0\r\nX-Checksum: abc\r\n\r\n')
    )
    await open(id)
    const headers = page.locator('[data-testid="headers-table"]').first().getByTestId('header-row')
    expect(await headers.nth(1).textContent()).toBe('X-NameZoë Ångström')
    expect(await headers.nth(2).getByTestId('header-latin1').count()).toBe(1)
    expect(await headers.nth(1).getByTestId('header-latin1').count()).toBe(0)
    const trailers = page.getByTestId('trailers-section')
    await trailers.waitFor(WAIT)
    expect(await trailers.getByTestId('header-row').textContent()).toBe('X-Checksumabc')
  })

  it('sets the data folder’s durability level', async () => {
    const select = page.getByTestId('durability-select')
    await select.waitFor(WAIT)
    expect(await select.inputValue()).toBe('crash')
    await select.selectOption('fsync')
    // The label follows the engine's answer, not the select's own state.
    await page.locator('label.durability-select[title*="on disk"]').waitFor(WAIT)
    const response = await fetch(`${ui.origin}/api/invoke/settings.get`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ui.token}`, 'Content-Type': 'application/json' },
      body: '{}'
    })
    expect(((await response.json()) as { value: unknown }).value).toEqual({ durability: 'fsync' })
    await select.selectOption('crash')
  })

  it('deletes one delivery, and all of them after confirming', async () => {
    await open(jsonId)
    await page.getByTestId('delete-delivery').click()
    await page.getByTestId('delete-delivery-confirm').click()
    await row(jsonId).waitFor({ state: 'detached', ...WAIT })
    await expect(getDelivery(jsonId)).rejects.toThrow('NOT_FOUND')

    await page.getByTestId('clear-all').click()
    expect(await page.getByTestId('delivery-row').count()).toBeGreaterThan(0) // not before confirming
    await page.getByTestId('clear-all-confirm').click()
    await page.getByTestId('empty-state').waitFor(WAIT)
    expect(await page.getByTestId('delivery-row').count()).toBe(0)
  })

  it('logged no errors and no CSP violations', () => {
    expect(problems).toEqual([])
  })
})
