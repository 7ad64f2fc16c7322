import { type Browser, chromium, type Page } from 'playwright-core'

/**
 * Debian's Chromium, headless, as it works on these machines (../shared/reference/toolchain.md):
 * no sandbox as root, no GPU, and no background networking, which the closed network refuses.
 * playwright-core gives each launch a fresh profile.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  })
}

/**
 * A page on the headless UI at `url` with `token`, connected, collecting console errors and page
 * errors into `problems` (CSP violations and React errors surface there; tests assert it stays empty).
 */
export async function openUi(browser: Browser, ui: { url: string; token: string }, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 } })
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  await page.goto(`${ui.url}#token=${ui.token}`)
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor({ timeout: 10_000 })
  return page
}
