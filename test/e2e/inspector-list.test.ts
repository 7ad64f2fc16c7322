import { createHmac } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/engine/store/open-database'
import type { EngineMethod } from '../../shared/api/contract'
import { launchChromium } from '../helpers/chromium'
import { type ListenProcess, startListen } from '../helpers/cli-process'
import { deliveriesOn, makeDelivery } from '../helpers/delivery-records'

/**
 * The list as a QA tester uses it (issue 11): filters and their link, totals, event types and
 * schemes, dates, new rows while scrolled away, pause, keys, the endpoint's response, exports,
 * the layout at 1,024 × 700 and 1,400 px, and dark mode. The store is seeded with 1,200
 * deliveries from yesterday before `listen` starts; three more arrive over HTTP.
 */

const WAIT = { timeout: 15_000 }
const PASSPHRASE = 'inspector e2e passphrase'
const STRIPE_SECRET = 'whsec_inspector_e2e_secret'
const SEEDED = 1_200
const LONG_PATH = '/stripe/webhooks/events/invoice-paid-handler?account=acct_123'

let dataDir: string
let cli: ListenProcess
let ui: NonNullable<ListenProcess['ui']>
let browser: Browser
let page: Page
const problems: string[] = []
let validId = ''
let invalidId = ''
let githubId = ''

function yesterdayAt(hour: number): number {
  const day = new Date()
  day.setDate(day.getDate() - 1)
  day.setHours(hour, 0, 0, 0)
  return day.getTime()
}

async function invoke<M extends EngineMethod>(method: M, params: unknown): Promise<unknown> {
  const response = await fetch(`${ui.origin}/api/invoke/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ui.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(params)
  })
  const result = (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string } }
  if (!result.ok) throw new Error(result.error?.code)
  return result.value
}

async function send(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; id: string }> {
  const response = await fetch(cli.captureUrl + path.replace(/^\//, ''), { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } })
  const text = await response.text()
  return { status: response.status, text, id: /"id":"([^"]+)"/.exec(text)?.[1] ?? '' }
}

function stripeSignature(body: string, secret: string): string {
  const timestamp = Math.floor(Date.now() / 1000)
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

function watchProblems(target: Page): void {
  target.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  target.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
}

const row = (id: string, on: Page = page) => on.locator(`[data-testid="delivery-row"][data-id="${id}"]`)
const rowIds = (on: Page = page) => on.getByTestId('delivery-row').evaluateAll((rows) => rows.map((element) => element.getAttribute('data-id')))
const selectedId = (on: Page = page) => on.locator('[data-testid="delivery-row"][aria-selected="true"]').getAttribute('data-id')

async function waitForRows(ids: string[], on: Page = page): Promise<void> {
  await on.waitForFunction(
    (wanted) => {
      const shown = Array.from(document.querySelectorAll('[data-testid="delivery-row"]'), (element) => element.getAttribute('data-id'))
      return shown.length === wanted.length && wanted.every((id, i) => shown[i] === id)
    },
    ids,
    WAIT
  )
}

async function waitForCount(text: string, on: Page = page): Promise<void> {
  await on.waitForFunction((wanted) => document.querySelector('[data-testid="delivery-count"]')?.textContent === wanted, text, WAIT)
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hookscope-e2e-list-'))
  // Yesterday's deliveries, written straight into the store before the engine opens it.
  const db = openDatabase(dataDir)
  const records = Array.from({ length: SEEDED }, (_, i) =>
    makeDelivery({
      id: `seed${String(i).padStart(6, '0')}`,
      endpointId: 'default',
      receivedAt: yesterdayAt(9) + i * 1000,
      url: `/seed/${i}`,
      headers: [['Host', '127.0.0.1']],
      body: Buffer.from(JSON.stringify({ type: 'seed.event', n: i }))
    })
  )
  deliveriesOn(db).insertMany(records)
  db.close()

  cli = await startListen(dataDir, [], { env: { HOOKSCOPE_PASSPHRASE: PASSPHRASE } })
  if (!cli.ui) throw new Error('the CLI printed no UI line')
  ui = cli.ui
  await invoke('keys.create', { name: 'Stripe test', scheme: 'stripe', material: { secret: STRIPE_SECRET } })

  const validBody = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid' })
  validId = (await send(LONG_PATH, validBody, { 'Stripe-Signature': stripeSignature(validBody, STRIPE_SECRET) })).id
  const invalidBody = JSON.stringify({ id: 'evt_2', object: 'event', type: 'invoice.created' })
  invalidId = (await send('/stripe/webhooks', invalidBody, { 'Stripe-Signature': stripeSignature(invalidBody, 'whsec_someone_else') })).id
  githubId = (await send('/github', JSON.stringify({ ref: 'main' }), { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': 'sha256=00' })).id

  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1400, height: 860 }, acceptDownloads: true })
  watchProblems(page)
  await page.goto(`${ui.url}#token=${ui.token}&run=${ui.run}`)
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT)
  await row(githubId).waitFor(WAIT)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await cli?.stop().catch(() => cli.kill())
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('the delivery list', () => {
  it('shows event types, schemes, dates for older deliveries and the totals', async () => {
    expect(await row(validId).getByTestId('row-event').textContent()).toBe('invoice.paid')
    expect(await row(validId).getByTestId('row-scheme').textContent()).toBe('stripe')
    expect(await row(validId).getByTestId('verdict-badge').getAttribute('data-status')).toBe('valid')
    expect(await row(invalidId).getByTestId('verdict-badge').getAttribute('data-code')).toBe('SIG_MISMATCH')
    expect(await row(githubId).getByTestId('row-event').textContent()).toBe('push')
    expect(await row(githubId).getByTestId('row-scheme').textContent()).toBe('github')
    // Today's: the clock with milliseconds.
    expect(await row(validId).getByTestId('row-time').textContent()).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/)
    await waitForCount(`500 of ${(SEEDED + 3).toLocaleString('en-US')} loaded`)

    // Yesterday's: a date, and how long ago on hover.
    const seeded = row(`seed${String(SEEDED - 1).padStart(6, '0')}`)
    expect(await seeded.getByTestId('row-time').textContent()).toMatch(/^[A-Z][a-z]{2} \d\d( \d\d:\d\d| \d{4})$/)
    expect(await seeded.getByTestId('row-time').getAttribute('title')).toMatch(/\((\d+ hours?|1 day) ago\)$/)
    expect(await seeded.getByTestId('row-event').textContent()).toBe('seed.event')
  })

  it('shows the whole path at 1,400 px, and on hover', async () => {
    const path = row(validId).getByTestId('row-path')
    expect(await path.getAttribute('title')).toBe(LONG_PATH)
    const fits = await path.evaluate((element) => element.scrollWidth <= element.clientWidth)
    expect(fits).toBe(true)
    expect(await path.textContent()).toBe(LONG_PATH)
  })

  it('filters by verdict and scheme, counts the matches and keeps both in the address', async () => {
    await page.getByTestId('filters-toggle').click()
    await page.getByTestId('verdict-filter').selectOption('invalid')
    await page.getByTestId('scheme-filter').selectOption('stripe')
    await waitForRows([invalidId])
    await waitForCount(`1 of ${(SEEDED + 3).toLocaleString('en-US')} matches`)
    await row(invalidId).click()
    await page.locator(`[data-testid="delivery-detail"][data-id="${invalidId}"]`).waitFor(WAIT)
    const hash = new URLSearchParams(new URL(page.url()).hash.slice(1))
    expect(hash.get('token')).toBe(ui.token)
    expect(hash.get('verdict')).toBe('invalid')
    expect(hash.get('scheme')).toBe('stripe')
    expect(hash.get('sel')).toBe(invalidId)

    // The link opens the same view in another tab.
    const other = await browser.newPage({ viewport: { width: 1400, height: 860 } })
    watchProblems(other)
    await other.goto(page.url())
    await waitForRows([invalidId], other)
    await other.locator(`[data-testid="delivery-detail"][data-id="${invalidId}"]`).waitFor(WAIT)
    expect(await other.getByTestId('filter-chip').evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-field')))).toEqual(['verdict', 'scheme'])
    await other.close()

    await page.getByTestId('clear-filters').click()
    await waitForCount(`500 of ${(SEEDED + 3).toLocaleString('en-US')} loaded`)
  })

  it('matches verdict codes with the free text, and filters by event type and time', async () => {
    await page.getByTestId('filter-input').fill('sig_mismatch')
    await waitForRows([invalidId])
    await page.getByTestId('filter-input').fill('')

    await page.getByTestId('event-type-filter').fill('invoice')
    await page.getByTestId('event-type-filter').press('Enter')
    await waitForRows([invalidId, validId])

    await page.getByTestId('event-type-filter').fill('')
    await page.getByTestId('event-type-filter').press('Enter')
    await page.getByTestId('time-filter').selectOption('today')
    await waitForRows([githubId, invalidId, validId])
    await waitForCount(`3 of ${(SEEDED + 3).toLocaleString('en-US')} match`)
    expect(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('time')).toBe('today')

    await page.getByTestId('clear-filters').click()
    await page.getByTestId('filters-toggle').click()
    await waitForCount(`500 of ${(SEEDED + 3).toLocaleString('en-US')} loaded`)
  })

  it('moves with Home, End, PageUp and PageDown, and / focuses the search', async () => {
    await row(githubId).click()
    await page.getByTestId('delivery-list').focus()
    await page.keyboard.press('End')
    await page.waitForFunction(
      () => document.querySelector('[data-testid="delivery-row"][aria-selected="true"]')?.getAttribute('data-id')?.startsWith('seed'),
      undefined,
      WAIT
    )
    await page.keyboard.press('Home')
    await page.waitForFunction(
      (id) => document.querySelector('[data-testid="delivery-row"][aria-selected="true"]')?.getAttribute('data-id') === id,
      githubId,
      WAIT
    )
    await page.keyboard.press('PageDown')
    const afterPageDown = await selectedId()
    const ids = await rowIds()
    expect(ids.indexOf(afterPageDown)).toBeGreaterThan(5)
    await page.keyboard.press('PageUp')
    await page.waitForFunction(
      (id) => document.querySelector('[data-testid="delivery-row"][aria-selected="true"]')?.getAttribute('data-id') === id,
      githubId,
      WAIT
    )

    await page.keyboard.press('/')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('filter-input')
    await page.keyboard.press('Escape')
  })

  it('moves the selection to the next row after a delete', async () => {
    const doomed = `seed${String(SEEDED - 2).padStart(6, '0')}`
    const next = `seed${String(SEEDED - 3).padStart(6, '0')}`
    await row(doomed).click()
    await page.getByTestId('delete-delivery').click()
    await page.getByTestId('delete-delivery-confirm').click()
    await row(doomed).waitFor({ state: 'detached', ...WAIT })
    await page.locator(`[data-testid="delivery-detail"][data-id="${next}"]`).waitFor(WAIT)
    expect(await selectedId()).toBe(next)
  })

  it('says how many arrived above while scrolled down, and holds them while paused', async () => {
    await page.getByTestId('delivery-list').evaluate((element) => element.scrollTo({ top: 2000 }))
    const first = await send('/late/1', '{"type":"late.one"}')
    const second = await send('/late/2', '{"type":"late.two"}')
    const indicator = page.getByTestId('new-indicator')
    await page.waitForFunction(() => document.querySelector('[data-testid="new-indicator"]')?.textContent === '↑ 2 new', undefined, WAIT)
    await indicator.click()
    await indicator.waitFor({ state: 'detached', ...WAIT })
    expect((await rowIds()).slice(0, 2)).toEqual([second.id, first.id])

    await page.getByTestId('pause-toggle').click()
    const held = await send('/late/3', '{"type":"late.three"}')
    await page.waitForFunction(() => document.querySelector('[data-testid="pause-toggle"]')?.textContent === 'Resume (1 new)', undefined, WAIT)
    expect(await row(held.id).count()).toBe(0)
    await page.getByTestId('pause-toggle').click()
    await row(held.id).waitFor(WAIT)
    expect((await rowIds())[0]).toBe(held.id)
  })

  it('edits the endpoint response: status, body, and a failure rate the sender sees', async () => {
    const item = page.getByTestId('endpoint-item').first()
    await item.getByTestId('endpoint-edit-response').click()
    await item.getByTestId('response-status').fill('202')
    await item.getByTestId('response-body').fill('accepted')
    await item.getByTestId('response-failure-percent').fill('100')
    await item.getByTestId('response-failure-status').fill('503')
    await item.getByTestId('endpoint-response-save').click()
    await item.getByTestId('endpoint-response-form').waitFor({ state: 'detached', ...WAIT })
    expect(await item.getByTestId('endpoint-response-summary').textContent()).toBe('answers 202 · 100% fail with 503')
    const failed = await send('/retry-me', '{}')
    expect(failed.status).toBe(503)
    expect(JSON.parse(failed.text)).toMatchObject({ error: 'simulated failure' })
    await row(failed.id).waitFor(WAIT)
    expect(await row(failed.id).locator('.col-status').textContent()).toBe('503')

    await item.getByTestId('endpoint-edit-response').click()
    expect(await item.getByTestId('response-failure-percent').inputValue()).toBe('100')
    await item.getByTestId('response-failure-percent').fill('0')
    await item.getByTestId('endpoint-response-save').click()
    await item.getByTestId('endpoint-response-form').waitFor({ state: 'detached', ...WAIT })
    const ok = await send('/fine', '{}')
    expect([ok.status, ok.text]).toEqual([202, 'accepted'])

    // Restore the default for the tests that follow.
    await item.getByTestId('endpoint-edit-response').click()
    await item.getByTestId('response-status').fill('200')
    await item.getByTestId('response-body').fill('')
    await item.getByTestId('endpoint-response-save').click()
    await item.getByTestId('endpoint-response-form').waitFor({ state: 'detached', ...WAIT })
    expect(await item.getByTestId('endpoint-response-summary').count()).toBe(0)
  })

  it('exports the current filter as NDJSON, and everything as HAR, with progress and the file name', async () => {
    await page.getByTestId('filters-toggle').click()
    await page.getByTestId('verdict-filter').selectOption('invalid')
    await waitForRows([invalidId])
    await page.getByTestId('export-open').click()
    const [ndjson] = await Promise.all([page.waitForEvent('download', WAIT), page.getByTestId('export-ndjson').click()])
    expect(ndjson.suggestedFilename()).toMatch(/^hookscope-.*\.ndjson$/)
    const lines = readFileSync((await ndjson.path())!, 'utf8')
      .trim()
      .split('\n')
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual([invalidId])
    await page.locator('[data-testid="export-status"][data-state="done"]').waitFor(WAIT)
    expect(await page.getByTestId('export-status').textContent()).toContain('Exported 1 delivery to hookscope-')
    await page.getByTestId('export-dismiss').click()

    await page.getByTestId('clear-filters').click()
    await page.getByTestId('filters-toggle').click()
    const total = Number(((await invoke('deliveries.count', {})) as { total: number }).total)
    await page.getByTestId('export-open').click()
    const [har] = await Promise.all([page.waitForEvent('download', WAIT), page.getByTestId('export-har').click()])
    const log = (JSON.parse(readFileSync((await har.path())!, 'utf8')) as { log: { entries: { _hookscope: { id: string } }[] } }).log
    expect(log.entries).toHaveLength(total)
    expect(log.entries[0]!._hookscope.id).toBe('seed000000')
    await page.locator('[data-testid="export-status"][data-state="done"]').waitFor(WAIT)
    expect(await page.getByTestId('export-status').textContent()).toContain(`Exported ${total.toLocaleString('en-US')} deliveries`)
    await page.getByTestId('export-dismiss').click()
  })

  it('says the client certificate validity the engine issues', async () => {
    await page.getByTestId('nav-certificates').click()
    await page.getByTestId('issue-client-toggle').click()
    expect(await page.getByTestId('issue-client-validity').textContent()).toContain('valid for 730 days')
    await page.getByTestId('nav-deliveries').click()
  })
})

describe('layout and theme', () => {
  it('works at 1,024 × 700: every pane on screen, nothing cut, resizable and remembered', async () => {
    const small = await browser.newPage({ viewport: { width: 1024, height: 700 } })
    watchProblems(small)
    await small.goto(`${ui.url}#token=${ui.token}&run=${ui.run}`)
    await row(githubId, small).click()
    await small.locator(`[data-testid="delivery-detail"][data-id="${githubId}"]`).waitFor(WAIT)

    const box = async (testId: string) => (await small.getByTestId(testId).boundingBox())!
    for (const pane of ['sidebar', 'list-pane', 'detail-pane']) {
      const { x, width } = await box(pane)
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x + width).toBeLessThanOrEqual(1024.5)
    }
    expect((await box('detail-pane')).width).toBeGreaterThanOrEqual(340)
    expect((await box('filter-input')).width).toBeGreaterThanOrEqual(150)
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024)
    // The detail toolbar's buttons wrap inside the pane instead of running off it.
    const detailRight = (await box('detail-pane')).x + (await box('detail-pane')).width
    for (const button of ['copy-curl', 'download-body', 'delete-delivery']) {
      const { x, width } = await box(button)
      expect(x + width).toBeLessThanOrEqual(detailRight + 0.5)
    }
    // A path that does not fit is cut, with the whole of it on hover.
    expect(await row(validId, small).getByTestId('row-path').getAttribute('title')).toBe(LONG_PATH)

    // Drag the list's divider 100 px left: the list narrows, the detail widens, and it stays so after a reload.
    const before = (await box('list-pane')).width
    const detailBefore = (await box('detail-pane')).width
    const splitter = await box('splitter-list')
    await small.mouse.move(splitter.x + 2, splitter.y + 100)
    await small.mouse.down()
    await small.mouse.move(splitter.x - 48, splitter.y + 100, { steps: 3 })
    await small.mouse.move(splitter.x - 98, splitter.y + 100, { steps: 3 })
    await small.mouse.up()
    const narrowed = (await box('list-pane')).width
    expect(narrowed).toBeLessThan(before - 90)
    expect((await box('detail-pane')).width).toBeGreaterThan(detailBefore + 90)
    await small.reload()
    await small.getByTestId('list-pane').waitFor(WAIT)
    expect(Math.abs((await box('list-pane')).width - narrowed)).toBeLessThan(2)
    // The keyboard moves it too.
    await small.getByTestId('splitter-list').focus()
    await small.keyboard.press('ArrowRight')
    expect((await box('list-pane')).width).toBeGreaterThan(narrowed)
    await small.close()
  })

  it('follows the system colour scheme', async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
    const text = () => page.locator('.app').evaluate((element) => getComputedStyle(element).color)
    await page.emulateMedia({ colorScheme: 'dark' })
    expect(await background()).toBe('rgb(13, 17, 23)')
    expect(await text()).toBe('rgb(230, 237, 243)')
    await page.emulateMedia({ colorScheme: 'light' })
    expect(await background()).toBe('rgb(255, 255, 255)')
    expect(await text()).toBe('rgb(31, 35, 40)')
  })

  it('logged no errors and no CSP violations', () => {
    expect(problems).toEqual([])
  })
})
