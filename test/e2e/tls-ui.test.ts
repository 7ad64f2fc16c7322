import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { type RequestOptions, request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import type { Browser, Download, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium'
import { type ListenProcess, REPO_ROOT, startListen } from '../helpers/cli-process'
import { runCurlInBash } from '../helpers/run-shell'
import { invokeUi } from '../helpers/ui-api'

/**
 * HTTPS and mTLS in the browser: the CLI with HOOKSCOPE_PASSPHRASE (keyring unlocked, so TLS
 * endpoints can start), an https+mtls endpoint created in the Endpoints panel, a client
 * certificate issued on the Certificates page and saved through the UI's downloads, then real
 * mTLS requests from Node: the delivery shows a lock and its TLS tab, a request without a
 * certificate is listed live as a refused connection. Needs `npx electron-vite build` first.
 * Every wait is bounded.
 */

const WAIT = { timeout: 10_000 }
const PASSPHRASE = 'tls e2e passphrase'
const P12_PASSWORD = 'p12-password'
const CLIENT_NAME = 'acme-sender'

let cli: ListenProcess
let ui: NonNullable<ListenProcess['ui']>
let browser: Browser
let page: Page
let dataDir: string
const problems: string[] = []

/** What the Certificates page handed over, as files a sender would use. */
const files: { cert: string; key: string; ca: string; p12: Buffer | null } = { cert: '', key: '', ca: '', p12: null }
/** The PEM files as the Certificates page named them. */
const savedPem = new Map<string, Buffer>()
let securePort = 0
let secureId = ''
let p12Id = ''

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hookscope-e2e-tls-'))
  // The keyring is created and unlocked at start (server keys are sealed in it).
  cli = await startListen(dataDir, [], { env: { HOOKSCOPE_PASSPHRASE: PASSPHRASE } })
  if (!cli.ui) throw new Error('the CLI printed no UI line')
  ui = cli.ui
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`)
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

type SendResult = { ok: true; status: number; id: string; protocol: string | null } | { ok: false; code: string; message: string }

/**
 * POSTs over HTTPS with Node's client, verifying the server against the CA from the Certificates
 * page. SNI `localhost` (Node sends none for an IP). No agent: a fresh handshake every time.
 */
function sendHttps(credentials: Pick<RequestOptions, 'cert' | 'key' | 'pfx' | 'passphrase'>, body: string): Promise<SendResult> {
  return new Promise((resolve) => {
    const options: RequestOptions & { ALPNProtocols: string[] } = {
      host: '127.0.0.1',
      port: securePort,
      servername: 'localhost',
      path: '/orders',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      agent: false,
      ca: files.ca,
      ...credentials,
      ALPNProtocols: ['http/1.1'],
      timeout: 10_000
    }
    const req = request(options, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        const id = /"id":"([^"]+)"/.exec(text)?.[1]
        if (!id) resolve({ ok: false, code: 'NO_ID', message: text.slice(0, 200) })
        else resolve({ ok: true, status: res.statusCode ?? 0, id, protocol: (res.socket as TLSSocket).getProtocol?.() ?? null })
      })
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? 'ERROR', message: error.message }))
    })
    req.on('timeout', () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })))
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? 'ERROR', message: error.message }))
    req.end(body)
  })
}

async function sent(result: Promise<SendResult>): Promise<string> {
  const answer = await result
  if (!answer.ok) throw new Error(`the mTLS request failed: ${answer.code} ${answer.message}`)
  expect(answer.status).toBe(200)
  return answer.id
}

/** Clicks and returns the download it starts, read as bytes. */
async function download(button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [started] = (await Promise.all([page.waitForEvent('download', WAIT), button.click()])) as [Download, unknown]
  return { name: started.suggestedFilename(), bytes: readFileSync(await started.path()) }
}

/** Saves test-results/<name>.png (looked at by a person, not compared). */
async function screenshot(name: string): Promise<void> {
  mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true })
  await page.screenshot({ path: join(REPO_ROOT, 'test-results', `${name}.png`) })
}

const endpoint = (id: string) => page.locator(`[data-testid="endpoint-item"][data-id="${id}"]`)
const row = (id: string) => page.locator(`[data-testid="delivery-row"][data-id="${id}"]`)
const certRow = (name: string) => page.getByTestId('cert-row').filter({ has: page.getByTestId('cert-name').getByText(name, { exact: true }) })

describe('HTTPS and mTLS in Chromium', () => {
  it('creates an https+mtls endpoint (client certificates required) in the Endpoints panel', async () => {
    const form = page.getByTestId('create-endpoint-form')
    await form.getByTestId('endpoint-name-input').fill('Secure')
    await form.getByTestId('tls-mode-select').selectOption('https+mtls')
    expect(await form.getByTestId('tls-client-cert-select').inputValue()).toBe('require')
    expect(await form.getByTestId('tls-issuer-local-ca').isChecked()).toBe(true)

    // A malformed pin is caught at the field, before anything is sent.
    await form.getByTestId('tls-pins-input').fill('not-a-fingerprint')
    await form.getByTestId('endpoint-create').click()
    await form.locator('.field-error').filter({ hasText: 'not a SHA-256 fingerprint' }).waitFor(WAIT)
    expect(await page.getByTestId('endpoint-item').count()).toBe(1)
    await form.getByTestId('tls-pins-input').fill('')
    await form.getByTestId('tls-hosts-input').fill('hooks.test')
    await screenshot('tls-endpoint-form')

    await form.getByTestId('endpoint-create').click()
    const item = endpoint('secure')
    await page.locator('[data-testid="endpoint-item"][data-id="secure"][data-status="listening"]').waitFor(WAIT)
    expect(await item.getAttribute('data-tls')).toBe('https+mtls')
    expect(await item.getByTestId('endpoint-tls-badge').textContent()).toBe('mTLS require')
    const url = (await item.getByTestId('endpoint-url').textContent()) ?? ''
    const match = /^https:\/\/127\.0\.0\.1:(\d+)\/$/.exec(url)
    expect(match, url).not.toBeNull()
    securePort = Number(match![1])
    // The form is back to plain http for the next one.
    expect(await form.getByTestId('tls-mode-select').inputValue()).toBe('http')
  })

  it('switches the default endpoint to https through its TLS editor', async () => {
    const item = endpoint('default')
    await item.getByTestId('endpoint-edit-tls').click()
    const editor = item.getByTestId('endpoint-tls-form')
    await editor.getByTestId('tls-mode-select').selectOption('https')
    await editor.getByTestId('tls-hosts-input').fill('bad host!')
    await editor.getByTestId('endpoint-tls-save').click()
    await editor.locator('.field-error').filter({ hasText: 'not a host name' }).waitFor(WAIT)
    await editor.getByTestId('tls-hosts-input').fill('hooks.test')
    await editor.getByTestId('endpoint-tls-save').click()
    await editor.waitFor({ state: 'detached', ...WAIT })
    await page.locator('[data-testid="endpoint-item"][data-id="default"][data-status="listening"][data-tls="https"]').waitFor(WAIT)
    await item
      .getByTestId('endpoint-url')
      .filter({ hasText: /^https:\/\// })
      .waitFor(WAIT)
    expect(await item.getByTestId('endpoint-tls-badge').textContent()).toBe('https')
  })

  it('issues a client certificate on the Certificates page and saves its PEM files and a .p12', async () => {
    await page.getByTestId('nav-certificates').click()
    await page.getByTestId('certificates-page').waitFor(WAIT)
    await page.getByTestId('issue-client-toggle').click()
    await page.getByTestId('issue-client-name').fill(CLIENT_NAME)
    await page.getByTestId('issue-client-submit').click()
    await page.getByTestId('issue-client-done').waitFor(WAIT)
    const client = certRow(CLIENT_NAME)
    await client.waitFor(WAIT)
    expect(await client.getAttribute('data-kind')).toBe('client')
    expect(await client.getAttribute('data-status')).toBe('valid')

    await client.getByTestId('cert-export-pem').click()
    const saves = page.getByTestId('cert-file-save')
    await saves.first().waitFor(WAIT)
    const names = await saves.evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-file')))
    expect(names).toHaveLength(3)
    for (const name of names) {
      const saved = await download(page.locator(`[data-testid="cert-file-save"][data-file="${name}"]`))
      expect(saved.name).toBe(name)
      savedPem.set(saved.name, saved.bytes)
      const text = saved.bytes.toString('utf8')
      if (name!.endsWith('.key.pem')) files.key = text
      else if (name!.endsWith('.crt.pem')) files.cert = text
      else files.ca = text
    }
    expect(files.cert).toMatch(/^-----BEGIN CERTIFICATE-----/)
    expect(files.key).toMatch(/^-----BEGIN (RSA |EC )?PRIVATE KEY-----/)
    expect(files.ca).toMatch(/^-----BEGIN CERTIFICATE-----/)
    await page.getByTestId('cert-export-close').click()

    await client.getByTestId('cert-export-p12').click()
    await page.getByTestId('cert-p12-password').fill(P12_PASSWORD)
    await page.getByTestId('cert-p12-confirm').fill(`${P12_PASSWORD}!`)
    expect(await page.getByTestId('cert-p12-submit').isDisabled()).toBe(true)
    await page.getByTestId('cert-p12-confirm').fill(P12_PASSWORD)
    const p12 = await download(page.getByTestId('cert-p12-submit'))
    expect(p12.name).toMatch(/\.p12$/)
    files.p12 = p12.bytes
    await page.getByTestId('cert-p12-done').waitFor(WAIT)
    await page.getByTestId('cert-export-close').click()
    // The key was only ever in that panel's state.
    expect(await page.evaluate(() => document.documentElement.outerHTML.includes('PRIVATE KEY'))).toBe(false)
  })

  it('lists an mTLS delivery with a lock (PEM and .p12 credentials both work)', async () => {
    await page.getByTestId('nav-deliveries').click()
    secureId = await sent(sendHttps({ cert: files.cert, key: files.key }, JSON.stringify({ event: 'order.paid', via: 'pem' })))
    p12Id = await sent(sendHttps({ pfx: files.p12!, passphrase: P12_PASSWORD }, JSON.stringify({ event: 'order.paid', via: 'p12' })))
    await row(secureId).getByTestId('secure-marker').waitFor(WAIT)
    await row(p12Id).getByTestId('secure-marker').waitFor(WAIT)
  })

  it('lists a connection without a client certificate live, as rejected with its reason', async () => {
    const refused = await sendHttps({}, '{}')
    expect(refused.ok).toBe(false)
    const rejected = page.locator('[data-testid="rejected-row"][data-code="no-certificate"]')
    await rejected.waitFor(WAIT)
    expect(await rejected.textContent()).toContain('127.0.0.1')
    expect(await page.getByTestId('rejected-count').textContent()).toBe('1 refused connection')

    await rejected.click()
    const detail = page.getByTestId('rejected-detail')
    await detail.waitFor(WAIT)
    expect(await detail.getAttribute('data-code')).toBe('no-certificate')
    expect(await page.getByTestId('rejected-reason-code').textContent()).toBe('no-certificate')
    expect(await page.getByTestId('rejected-hint').textContent()).toContain('requires one')
    expect(await page.getByTestId('hello-sni').textContent()).toBe('localhost')
    expect(await page.getByTestId('hello-versions').textContent()).toContain('TLSv1.3')
    expect(await page.getByTestId('hello-alpn').textContent()).toBe('http/1.1')
    expect(await page.getByTestId('open-certificates').count()).toBe(1)
    expect(await page.getByTestId('rejected-remote').textContent()).toMatch(/^127\.0\.0\.1:\d+$/)
    await screenshot('tls-rejected')
  })

  it('shows the TLS tab: version, SNI, ALPN, the client certificate verdict and chain', async () => {
    await row(secureId).click()
    await page.locator(`[data-testid="delivery-detail"][data-id="${secureId}"]`).waitFor(WAIT)
    // Selecting a delivery closes the refused connection's detail.
    expect(await page.getByTestId('rejected-detail').count()).toBe(0)
    await page.getByTestId('inspector-tab-tls').click()
    const panel = page.getByTestId('tls-panel')
    await panel.waitFor(WAIT)
    expect(await page.getByTestId('tls-version').textContent()).toBe('TLSv1.3')
    expect(await page.getByTestId('tls-sni').textContent()).toBe('localhost')
    expect(await page.getByTestId('tls-alpn').textContent()).toBe('http/1.1')
    expect(await page.getByTestId('tls-cipher').textContent()).toMatch(/^TLS_/)
    const verdict = page.getByTestId('tls-client-verdict')
    expect(await verdict.getAttribute('data-verdict')).toBe('authorized')
    expect(await verdict.getAttribute('data-reason')).toBe('ok')
    expect(await page.getByTestId('tls-client-reason').textContent()).toBe('ok')
    expect(await page.getByTestId('tls-client-subject').textContent()).toContain(`CN=${CLIENT_NAME}`)
    const subjects = await page.getByTestId('tls-cert-subject').allTextContents()
    expect(subjects[0]).toContain(`CN=${CLIENT_NAME}`)
    expect(subjects.length).toBeGreaterThanOrEqual(2)
    expect(await page.getByTestId('tls-cert-fingerprint').first().textContent()).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)

    // The tab stays chosen when moving to the other secure delivery (↑ in the list).
    await page.getByTestId('delivery-list').focus()
    await page.keyboard.press('ArrowUp')
    await page.locator(`[data-testid="delivery-detail"][data-id="${p12Id}"]`).waitFor(WAIT)
    expect(await page.getByTestId('tls-client-subject').textContent()).toContain(`CN=${CLIENT_NAME}`)
    await row(secureId).click()
    await page.locator(`[data-testid="delivery-detail"][data-id="${secureId}"]`).waitFor(WAIT)
    await page.getByTestId('tls-panel').waitFor(WAIT)
    await screenshot('tls')
  })

  it('copies a cURL command for the mTLS delivery that replays it with the saved certificate files', async () => {
    await page.getByTestId('copy-curl').click()
    const command = (await page.getByTestId('curl-command').textContent()) ?? ''
    expect(command).toMatch(/--cacert \S+\.pem/)
    expect(command).toMatch(/--cert \S+\.crt\.pem --key \S+\.key\.pem/)
    const named = (await page.getByTestId('curl-tls-files').locator('code').allTextContents()).sort()
    expect(named).toEqual([...savedPem.keys()].sort())

    const dir = mkdtempSync(join(tmpdir(), 'hookscope-curl-mtls-'))
    try {
      for (const [name, bytes] of savedPem) writeFileSync(join(dir, name), bytes)
      const replayId = /"id":"([^"]+)"/.exec(await runCurlInBash(command, { cwd: dir }))?.[1]
      expect(replayId).toBeTruthy()
      await row(replayId!).getByTestId('secure-marker').waitFor(WAIT)
      const [original, replay] = await Promise.all([invokeUi(ui, 'deliveries.get', { id: secureId }), invokeUi(ui, 'deliveries.get', { id: replayId! })])
      expect(replay.bodyBase64).toBe(original.bodyBase64)
      // curl always sends Host first (curl-command.ts); every other line keeps its place.
      const withoutHost = (headers: typeof original.headers) => headers.filter(([name]) => name.toLowerCase() !== 'host')
      expect(withoutHost(replay.headers)).toEqual(withoutHost(original.headers))
      expect(replay.headers.find(([name]) => name.toLowerCase() === 'host')).toEqual(original.headers.find(([name]) => name.toLowerCase() === 'host'))
      expect(replay.tls?.clientCert?.subject).toContain(`CN=${CLIENT_NAME}`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('lists the CA, the server and the client certificate, and downloads the CA with its instructions', async () => {
    await page.getByTestId('nav-certificates').click()
    await page.getByTestId('certificates-page').waitFor(WAIT)
    expect(await page.getByTestId('cert-group-ca').getAttribute('data-count')).toBe('1')
    expect(await page.getByTestId('cert-group-client').getAttribute('data-count')).toBe('1')
    expect(Number(await page.getByTestId('cert-group-server').getAttribute('data-count'))).toBeGreaterThanOrEqual(1)
    expect(await certRow(CLIENT_NAME).getAttribute('data-kind')).toBe('client')
    expect(await page.getByTestId('ca-card').getAttribute('data-present')).toBe('true')

    const der = await download(page.getByTestId('ca-download-der'))
    expect(der.name).toMatch(/\.(der|cer|crt)$/)
    expect(der.bytes[0]).toBe(0x30) // an ASN.1 SEQUENCE, not PEM text

    const ca = await download(page.getByTestId('ca-download-pem'))
    expect(ca.name).toMatch(/\.pem$/)
    expect(ca.bytes.toString('utf8')).toBe(files.ca)
    const instructions = page.getByTestId('ca-instructions')
    await instructions.waitFor(WAIT)
    expect(await instructions.textContent()).toContain(`curl --cacert "${ca.name}"`)
    await screenshot('certificates')
  })

  it('after a restart with the keyring locked, says why the mTLS endpoint is down and starts it once unlocked', async () => {
    // Leave first: a page whose engine vanished would log its reconnect attempts as errors.
    await page.goto('about:blank')
    await cli.stop()
    cli = await startListen(dataDir) // no HOOKSCOPE_PASSPHRASE this time: the keyring stays locked
    ui = cli.ui!
    await page.goto(`${ui.url}#token=${ui.token}`)
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT)

    const item = endpoint('secure')
    await page.locator('[data-testid="endpoint-item"][data-id="secure"][data-status="error"]').waitFor(WAIT)
    expect(await item.getByTestId('endpoint-error').textContent()).toMatch(/^TLS: .*locked/)
    // The engine kept the refused connection: it is listed again, from connections.rejected.
    await page.locator('[data-testid="rejected-row"][data-code="no-certificate"]').waitFor(WAIT)
    await screenshot('tls-locked')

    await item.getByTestId('endpoint-open-keyring').click()
    await page.getByTestId('unlock-passphrase').fill(PASSPHRASE)
    await page.getByTestId('unlock-submit').click()
    await page.locator('[data-testid="vault-state"][data-state="unlocked"]').waitFor(WAIT)
    await page.getByTestId('nav-deliveries').click()
    await page.locator('[data-testid="endpoint-item"][data-id="secure"][data-status="listening"]').waitFor(WAIT)
    securePort = Number(/:(\d+)\/$/.exec((await item.getByTestId('endpoint-url').textContent()) ?? '')?.[1])

    // Same CA, same trust: the client certificate still gets in.
    const id = await sent(sendHttps({ cert: files.cert, key: files.key }, '{"after":"restart"}'))
    await row(id).getByTestId('secure-marker').waitFor(WAIT)
  })

  it('regenerates the CA: senders of the old trust are refused, each with its reason, until they move over', async () => {
    await page.getByTestId('nav-certificates').click()
    const oldFingerprint = await page.getByTestId('ca-fingerprint').getAttribute('data-fingerprint')
    await page.getByTestId('ca-regenerate').click()
    const panel = page.getByTestId('ca-regenerate-panel')
    expect(await panel.textContent()).toContain('stop being trusted')
    await page.getByTestId('ca-regenerate-cancel').click()
    expect(await panel.count()).toBe(0)

    await page.getByTestId('ca-regenerate').click()
    await page.getByTestId('ca-regenerate-confirm').click()
    await page.getByTestId('ca-regenerated').waitFor(WAIT)
    await page.locator(`[data-testid="ca-fingerprint"]:not([data-fingerprint="${oldFingerprint}"])`).waitFor(WAIT)
    // The old CA stays, as a trusted issuer without its key.
    await page.locator('[data-testid="cert-group-issuer"][data-count="1"]').waitFor(WAIT)
    // The engine restarted the running endpoint with a certificate from the new CA before answering.
    expect(await page.getByTestId('ca-regenerated').textContent()).toContain('running HTTPS endpoints now present certificates from it')
    await page.getByTestId('nav-deliveries').click()
    const item = endpoint('secure')
    await page.locator('[data-testid="endpoint-item"][data-id="secure"][data-status="listening"]').waitFor(WAIT)
    securePort = Number(/:(\d+)\/$/.exec((await item.getByTestId('endpoint-url').textContent()) ?? '')?.[1])

    // A sender that still trusts the old CA refuses the new server certificate (Node's client
    // hangs up without an alert, which the engine can only call a reset).
    expect((await sendHttps({ cert: files.cert, key: files.key }, '{}')).ok).toBe(false)
    await page.locator('[data-testid="rejected-row"]:is([data-code="client-rejected-server-certificate"], [data-code="connection-reset"])').waitFor(WAIT)

    // Trusting the new CA, it gets through the handshake, but its certificate is the old CA's.
    await page.getByTestId('nav-certificates').click()
    files.ca = (await download(page.getByTestId('ca-download-pem'))).bytes.toString('utf8')
    await page.getByTestId('nav-deliveries').click()
    expect((await sendHttps({ cert: files.cert, key: files.key }, '{}')).ok).toBe(false)
    const unknown = page.locator('[data-testid="rejected-row"][data-code="unknown-issuer"]')
    await unknown.waitFor(WAIT)
    await unknown.click()
    await page.locator('[data-testid="rejected-detail"][data-code="unknown-issuer"]').waitFor(WAIT)
    expect(await page.getByTestId('tls-client-verdict').getAttribute('data-verdict')).toBe('not-authorized')
    expect(await page.getByTestId('tls-client-subject').textContent()).toContain(`CN=${CLIENT_NAME}`)
    expect(await page.getByTestId('tls-cert-subject').first().textContent()).toContain(`CN=${CLIENT_NAME}`)
    await screenshot('tls-rejected-issuer')
  })

  it('logged no errors and no CSP violations', () => {
    expect(problems).toEqual([])
  })
})
