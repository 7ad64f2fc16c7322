import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium'
import { type CliProcess, killAllCli, type ListenProcess, spawnCli, startListen } from '../helpers/cli-process'
import { type Channel, httpRequest } from '../helpers/relay'

/**
 * The Tunnel panel in the browser UI against a real relay-server: connect the default endpoint
 * to a channel, see the chip turn connected and the public URL, and a sender's request captured
 * through the tunnel, shown in the inspector with the public URL it was sent to.
 */
const WAIT = { timeout: 30_000 }
let relay: CliProcess
let relayUrl: string
let cli: ListenProcess
let browser: Browser
let page: Page
let dataDir: string
const problems: string[] = []

beforeAll(async () => {
  relay = spawnCli(['relay-server', '--open', '--port', '0'])
  relayUrl = (await relay.waitForLine(/^Relay server on /, 30_000)).slice('Relay server on '.length)
  dataDir = mkdtempSync(join(tmpdir(), 'hookscope-e2e-tunnel-'))
  cli = await startListen(dataDir, [], { timeoutMs: 30_000 })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 860 } })
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  await page.goto(`${cli.ui!.url}#token=${cli.ui!.token}`)
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await killAllCli()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('tunnel panel', () => {
  it('connects an endpoint to a relay channel and shows its health', async () => {
    const channel = JSON.parse((await httpRequest(`${relayUrl}/channels`, { body: Buffer.alloc(0) })).body.toString()) as Channel
    const endpoint = page.locator('[data-testid="endpoint-item"][data-id="default"]')
    await endpoint.locator('[data-testid="endpoint-tunnel"]').click()
    await endpoint.locator('[data-testid="tunnel-url"]').fill(channel.url)
    await endpoint.locator('[data-testid="tunnel-token"]').fill(channel.clientToken)
    await endpoint.locator('[data-testid="tunnel-save"]').click()

    await endpoint.locator('[data-testid="tunnel-chip"][data-status="connected"]').waitFor(WAIT)
    expect(await endpoint.locator('[data-testid="tunnel-public-url"]').textContent()).toBe(channel.url)
    // The token field is write-only: cleared after saving, and never shown back.
    expect(await endpoint.locator('[data-testid="tunnel-token"]').inputValue()).toBe('')
    expect(await page.content()).not.toContain(channel.clientToken)

    const reply = await httpRequest(`${channel.url}/through-the-ui`, { headers: [['Content-Type', 'application/json']], body: Buffer.from('{"via":"tunnel"}') })
    expect(reply.status).toBe(200)
    const row = page.locator('[data-testid="delivery-row"]', { hasText: '/through-the-ui' }).first()
    await row.waitFor(WAIT)
    // The inspector says which tunnel it came through, and the public URL the sender used.
    await row.click()
    const via = page.locator('[data-testid="delivery-source"]')
    await via.waitFor(WAIT)
    expect(await via.textContent()).toBe(`via tunnel (hookscope relay) ${channel.url}/through-the-ui`)
    expect(problems).toEqual([])
  }, 120_000)
})
