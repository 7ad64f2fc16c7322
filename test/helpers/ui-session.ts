import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, openUi } from './chromium'
import { type ListenProcess, startListen } from './cli-process'

/** `hookscope listen` on a fresh data folder and Chromium on its UI, connected. */
export interface UiSession {
  cli: ListenProcess
  browser: Browser
  page: Page
  /** Console and page errors seen so far (tests assert it stays empty). */
  problems: string[]
  /** POSTs `body` to the capture URL at `path`; resolves with the delivery id of Hookscope's answer. */
  post(path: string, body: string, headers?: Record<string, string>): Promise<string>
  stop(): Promise<void>
}

export async function startUiSession(name: string, options: { env?: NodeJS.ProcessEnv } = {}): Promise<UiSession> {
  const dataDir = mkdtempSync(join(tmpdir(), `hookscope-${name}-e2e-`))
  const problems: string[] = []
  let cli: ListenProcess | undefined
  let browser: Browser | undefined
  const stop = async () => {
    await browser?.close()
    await cli?.stop().catch(() => cli?.kill())
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    cli = await startListen(dataDir, [], { env: options.env })
    if (!cli.ui) throw new Error('the CLI printed no UI line')
    browser = await launchChromium()
    const page = await openUi(browser, cli.ui, problems)
    const captureUrl = cli.captureUrl
    const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
      const response = await fetch(new URL(path, captureUrl), { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body })
      return ((await response.json()) as { id: string }).id
    }
    return { cli, browser, page, problems, post, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
