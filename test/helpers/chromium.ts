import { chromium, type Browser } from 'playwright-core'

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
