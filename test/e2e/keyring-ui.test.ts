import { createCipheriv, generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CompactSign } from 'jose'
import type { Browser, Page } from 'playwright-core'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium'
import { type ListenProcess, REPO_ROOT, startListen } from '../helpers/cli-process'

/**
 * The keyring and verdicts in the browser: a fresh data folder (vault not set up), a passphrase
 * and a Standard Webhooks key set through the UI, then signed deliveries sent from Node with the
 * reference library. Badges, the Signature panel, reveal/hide, delete, export/import and
 * re-check are driven like a user would. Needs `npx electron-vite build` first. Every wait is bounded.
 */

const WAIT = { timeout: 10_000 }
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const PASSPHRASE = 'correct horse battery'
const BUNDLE_PASSPHRASE = 'bundle passphrase 1'
// No quotes inside: it must survive JSON.stringify verbatim to be found in the signed content.
const HOSTILE = '<img src=x onerror=window.__xss=1>'
/** Engine refusals this suite provokes on purpose; Chromium logs each non-2xx fetch as a console error. */
const EXPECTED_FAILURES = ['/api/invoke/keys.create', '/api/invoke/keys.import', '/api/invoke/vault.unlock']

let cli: ListenProcess
let ui: NonNullable<ListenProcess['ui']>
let browser: Browser
let page: Page
let dataDir: string
const problems: string[] = []

beforeAll(async () => {
  // This suite sets the vault up through the UI: the CLI must not find a passphrase to use.
  delete process.env.HOOKSCOPE_PASSPHRASE
  dataDir = mkdtempSync(join(tmpdir(), 'hookscope-e2e-keyring-'))
  cli = await startListen(dataDir)
  if (!cli.ui) throw new Error('the CLI printed no UI line')
  ui = cli.ui
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const url = message.location().url
    const provoked = message.text().startsWith('Failed to load resource') && EXPECTED_FAILURES.some((path) => url.endsWith(path))
    if (!provoked) problems.push(`console: ${message.text()} (${url})`)
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

interface Signed {
  id: string
  timestamp: string
  signature: string
}

function sign(body: string, webhookId: string): Signed {
  const now = new Date()
  return { id: webhookId, timestamp: String(Math.floor(now.getTime() / 1000)), signature: new Webhook(SECRET).sign(webhookId, now, body) }
}

/** POSTs to the capture URL with Standard Webhooks headers; resolves with the delivery id. */
async function send(body: string, signed: Signed): Promise<string> {
  const response = await fetch(`${cli.captureUrl}orders`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'webhook-id': signed.id,
      'webhook-timestamp': signed.timestamp,
      'webhook-signature': signed.signature
    },
    body,
    signal: AbortSignal.timeout(10_000)
  })
  const answer = (await response.json()) as { id?: string }
  if (!answer.id) throw new Error(`no delivery id in the answer: ${JSON.stringify(answer)}`)
  return answer.id
}

/** Calls the engine API as the UI does (for setup steps that are not what a test is about). */
async function invoke(method: string, params: unknown): Promise<unknown> {
  const response = await fetch(`${ui.origin}/api/invoke/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ui.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
    signal: AbortSignal.timeout(10_000)
  })
  const result = (await response.json()) as { ok: true; value: unknown } | { ok: false; error: { message: string } }
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

async function post(path: string, headers: Record<string, string>, content: string): Promise<string> {
  const response = await fetch(`${cli.captureUrl}${path}`, { method: 'POST', headers, body: content, signal: AbortSignal.timeout(10_000) })
  const answer = (await response.json()) as { id?: string }
  if (!answer.id) throw new Error(`no delivery id in the answer: ${JSON.stringify(answer)}`)
  return answer.id
}

const row = (id: string) => page.locator(`[data-testid="delivery-row"][data-id="${id}"]`)
const badge = (id: string, status: string) => row(id).locator(`[data-testid="verdict-badge"][data-status="${status}"]`)
const keyRow = (name: string) => page.getByTestId('key-row').filter({ has: page.getByTestId('key-name').getByText(name, { exact: true }) })

/** Saves test-results/<name>.png (looked at by a person, not compared). */
async function screenshot(name: string): Promise<void> {
  mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true })
  await page.screenshot({ path: join(REPO_ROOT, 'test-results', `${name}.png`) })
}

async function openSignature(id: string): Promise<void> {
  await row(id).click()
  await page.locator(`[data-testid="delivery-detail"][data-id="${id}"]`).waitFor(WAIT)
  await page.getByTestId('inspector-tab-signature').click()
  await page.getByTestId('signature-panel').waitFor(WAIT)
}

const body = JSON.stringify({ type: 'order.paid', amount: 4200, note: HOSTILE })
let validId = ''
let changedId = ''

describe('keyring and verdicts in Chromium', () => {
  it('sets the keyring passphrase on a fresh data folder', async () => {
    expect(await page.getByTestId('nav-keyring-hint').textContent()).toBe('set up')
    await page.getByTestId('nav-keyring').click()
    await page.locator('[data-testid="vault-state"][data-state="uninitialized"]').waitFor(WAIT)
    await screenshot('keyring-setup')

    await page.getByTestId('passphrase-input').fill('short')
    await page.getByTestId('passphrase-confirm-input').fill('short')
    expect(await page.getByTestId('passphrase-submit').isDisabled()).toBe(true)
    await page.getByTestId('passphrase-input').fill(PASSPHRASE)
    await page.getByTestId('passphrase-confirm-input').fill(`${PASSPHRASE}!`)
    expect(await page.getByTestId('passphrase-submit').isDisabled()).toBe(true)
    await page.getByTestId('passphrase-confirm-input').fill(PASSPHRASE)
    await page.getByTestId('passphrase-submit').click()

    await page.locator('[data-testid="vault-state"][data-state="unlocked"]').waitFor(WAIT)
    await page.getByTestId('keys-empty').waitFor(WAIT)
    expect(await page.getByTestId('nav-keyring-hint').count()).toBe(0)
  })

  it('adds a Standard Webhooks key through the form, with client and engine errors inline', async () => {
    await page.getByTestId('add-key-toggle').click()
    const form = page.getByTestId('add-key-form')
    await form.waitFor(WAIT)

    // The engine judges key material: a Discord key that is not a public key is refused with its sentence.
    await page.getByTestId('key-name-input').fill('Orders')
    await page.getByTestId('key-scheme-select').selectOption('discord')
    await page.getByTestId('key-material-publicKey').fill('not a key')
    await page.getByTestId('add-key-submit').click()
    const engineError = page.getByTestId('add-key-error')
    await engineError.waitFor(WAIT)
    expect(await engineError.textContent()).toContain('publicKey')

    // Options are checked for JSON syntax before anything is sent.
    await page.getByTestId('key-scheme-select').selectOption('standard-webhooks')
    await page.getByTestId('key-secret-input').fill(SECRET)
    expect(await page.getByTestId('key-secret-input').getAttribute('type')).toBe('password')
    await page.getByTestId('key-options-input').fill('{"toleranceSeconds": 600,}')
    const createsBefore = await page.getByTestId('key-row').count()
    await page.getByTestId('add-key-submit').click()
    await page.getByTestId('key-options-error').waitFor(WAIT)
    expect(await page.getByTestId('key-row').count()).toBe(createsBefore)

    await page.getByTestId('key-options-input').fill('{"toleranceSeconds": 600}')
    await page.getByTestId('key-notes-input').fill('Production orders webhook')
    await screenshot('keyring-add-key')
    await page.getByTestId('add-key-submit').click()
    await keyRow('Orders').waitFor(WAIT)
    expect(await form.count()).toBe(0)
    expect(await keyRow('Orders').getAttribute('data-status')).toBe('ACTIVE')
    expect(await keyRow('Orders').textContent()).toContain('Standard Webhooks')
    // The form is gone and the secret with it.
    expect(await page.evaluate((secret) => document.documentElement.outerHTML.includes(secret), SECRET)).toBe(false)
  })

  it('badges a signed delivery valid and a changed one invalid, live', async () => {
    await page.getByTestId('nav-deliveries').click()
    const signed = sign(body, 'msg_hookscope_e2e_1')
    validId = await send(body, signed)
    await badge(validId, 'valid').waitFor(WAIT)

    // Same signature, one more byte (a trailing newline): the signature no longer holds.
    changedId = await send(`${body}\n`, sign(body, 'msg_hookscope_e2e_2'))
    await badge(changedId, 'invalid').waitFor(WAIT)
    expect(await badge(changedId, 'invalid').getAttribute('title')).toBe('SIG_MISMATCH')
  })

  it('explains the mismatch in the Signature panel, as inert text', async () => {
    await openSignature(changedId)
    const panel = page.getByTestId('signature-panel')
    expect(await panel.getAttribute('data-status')).toBe('invalid')
    expect(await page.getByTestId('verdict-scheme').textContent()).toBe('Standard Webhooks')
    expect(await page.getByTestId('verdict-key').textContent()).toContain('Orders')
    expect(await page.getByTestId('verdict-summary').textContent()).toMatch(/trailing newline/)

    const finding = page.locator('[data-testid="finding"][data-code="BODY_CHANGED"]')
    await finding.waitFor(WAIT)
    expect(await finding.textContent()).toContain('trailing newline')
    expect(await page.locator('[data-testid="verdict-step"][data-ok="false"]').count()).toBeGreaterThan(0)
    expect(await page.getByTestId('signature-received').getAttribute('data-match')).toBe('false')
    expect(await page.getByTestId('signed-content').textContent()).toContain(HOSTILE)
    expect(await page.getByTestId('verdict-delivery-id').textContent()).toBe('msg_hookscope_e2e_2')
    expect(await page.getByTestId('verdict-skew').textContent()).toContain('tolerance ±600 s')

    // The verdict keeps a prefix of the expected signature; the whole one is computed on request.
    const prefix = (await page.getByTestId('signature-expected').textContent())!.replace(/….*$/s, '')
    expect(prefix).toHaveLength(8)
    await page.getByTestId('show-expected').click()
    await page.getByTestId('show-expected').waitFor({ state: 'detached', ...WAIT })
    const whole = (await page.getByTestId('signature-expected').textContent())!
    expect(whole.startsWith(prefix)).toBe(true)
    expect(whole.length).toBeGreaterThan(40)
    expect(await page.getByTestId('signature-received').getAttribute('data-match')).toBe('false')

    // Re-check answers the same verdict, without an error.
    await page.getByTestId('recheck').click()
    await page.locator('[data-testid="recheck"]:not([disabled])').waitFor(WAIT)
    expect(await page.getByTestId('recheck-error').count()).toBe(0)
    expect(await page.locator('[data-testid="finding"][data-code="BODY_CHANGED"]').count()).toBe(1)

    // The body views show the payload as text; nothing in it became markup or ran.
    await page.getByTestId('inspector-tab-request').click()
    await page.getByTestId('body-tab-raw').click()
    expect(await page.getByTestId('raw-view').textContent()).toBe(`${body}\n`)
    expect(await page.locator('[data-testid="delivery-detail"] img, [data-testid="delivery-detail"] script').count()).toBe(0)
    expect(await page.evaluate(() => (window as Window & { __xss?: unknown }).__xss)).toBeUndefined()
    await screenshot('delivery-request')
    await page.getByTestId('inspector-tab-signature').click()
    await screenshot('signature')
  })

  it('flags a replay and links to the first delivery', async () => {
    const signed = sign(body, 'msg_hookscope_e2e_replay')
    const firstId = await send(body, signed)
    await badge(firstId, 'valid').waitFor(WAIT)
    const replayId = await send(body, signed)
    await badge(replayId, 'invalid').waitFor(WAIT)
    expect(await badge(replayId, 'invalid').getAttribute('title')).toBe('DUPLICATE_DELIVERY')
    await openSignature(replayId)
    await page.getByTestId('duplicate-of').click()
    await page.locator(`[data-testid="delivery-detail"][data-id="${firstId}"]`).waitFor(WAIT)
    // The inspector stays on the Signature tab while moving between deliveries.
    expect(await page.getByTestId('signature-panel').getAttribute('data-status')).toBe('valid')
  })

  it('shows a decrypted payload, a JWS token and a masked credential', async () => {
    const aesKey = randomBytes(32)
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    await invoke('keys.import', {
      keyring: {
        keys: [
          { name: 'Payouts', scheme: 'aes-256-gcm', secret: aesKey.toString('base64'), keyId: 'whk_20251021_01' },
          { name: 'Notifications', scheme: 'jws', publicKey: publicKey.export({ type: 'spki', format: 'pem' }) },
          { name: 'Partner', scheme: 'basic', secret: 'partner:s3cret-pass' }
        ]
      }
    })

    const nonce = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', aesKey, nonce)
    const plaintext = JSON.stringify({ event: 'payout.sent', note: HOSTILE })
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
    const envelope = {
      keyId: 'whk_20251021_01',
      nonce: nonce.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64')
    }
    const decryptedId = await post('payouts', { 'Content-Type': 'application/json' }, JSON.stringify(envelope))
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ type: 'notification', note: HOSTILE })))
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey)
    const tokenId = await post('notify', { 'Content-Type': 'application/jose' }, jws)
    const basicId = await post('partner', { Authorization: `Basic ${Buffer.from('partner:wrong-pass').toString('base64')}` }, '{}')

    await badge(decryptedId, 'decrypted').waitFor(WAIT)
    await badge(tokenId, 'valid').waitFor(WAIT)
    await badge(basicId, 'invalid').waitFor(WAIT)

    await openSignature(tokenId)
    expect(await page.getByTestId('token-header').textContent()).toContain('"alg": "ES256"')
    expect(await page.getByTestId('token-payload').textContent()).toContain('"type": "notification"')

    await openSignature(basicId)
    expect(await page.getByTestId('verdict-status').getAttribute('data-code')).toBe('CREDENTIAL_MISMATCH')
    expect(await page.getByTestId('credential-expected').textContent()).not.toContain('s3cret-pass')
    expect(await page.getByTestId('credential-received').textContent()).not.toContain('wrong-pass')

    await openSignature(decryptedId)
    const payload = page.getByTestId('decrypted-payload')
    expect(await payload.getByTestId('json-view').textContent()).toContain('"event": "payout.sent"')
    await payload.getByTestId('body-tab-raw').click()
    expect(await payload.getByTestId('raw-view').textContent()).toBe(plaintext)
    expect(await page.locator('[data-testid="delivery-detail"] img, [data-testid="delivery-detail"] script').count()).toBe(0)
    expect(await page.evaluate(() => (window as Window & { __xss?: unknown }).__xss)).toBeUndefined()
    await screenshot('signature-decrypted')
  })

  it('reveals the secret only on request, and Hide takes it out of the page', async () => {
    await page.getByTestId('nav-keyring').click()
    await keyRow('Orders').waitFor(WAIT)
    const inPage = () => page.evaluate((secret) => document.documentElement.outerHTML.includes(secret), SECRET)
    expect(await inPage()).toBe(false)

    await keyRow('Orders').getByTestId('key-reveal').click()
    const value = page.getByTestId('key-material-secret-value')
    await value.waitFor(WAIT)
    expect(await value.textContent()).toBe(SECRET)
    await page.getByTestId('key-hide').click()
    await value.waitFor({ state: 'detached', ...WAIT })
    expect(await inPage()).toBe(false)

    // Leaving the page while shown drops it too.
    await keyRow('Orders').getByTestId('key-reveal').click()
    await value.waitFor(WAIT)
    await page.getByTestId('nav-deliveries').click()
    await page.getByTestId('nav-keyring').click()
    await keyRow('Orders').waitFor(WAIT)
    expect(await inPage()).toBe(false)
  })

  it('deletes the key (DELETED), and a re-check then says so', async () => {
    await keyRow('Orders').getByTestId('key-delete').click()
    expect(await keyRow('Orders').getAttribute('data-status')).toBe('ACTIVE') // not before confirming
    await keyRow('Orders').getByTestId('key-delete-confirm').click()
    await page.locator('[data-testid="key-row"][data-status="DELETED"]').waitFor(WAIT)
    expect(await keyRow('Orders').getByTestId('key-activate').count()).toBe(0)
    expect(await keyRow('Orders').textContent()).toMatch(/deleted \d{4}-\d{2}-\d{2}/)

    await page.getByTestId('nav-deliveries').click()
    await openSignature(validId)
    await page.getByTestId('recheck').click()
    await page.locator('[data-testid="signature-panel"][data-status="invalid"]').waitFor(WAIT)
    expect(await page.getByTestId('verdict-status').getAttribute('data-code')).toBe('KEY_DELETED')
    // The list badge follows the delivery.updated event.
    await badge(validId, 'invalid').waitFor(WAIT)
  })

  it('exports a bundle, removes the key, and imports the bundle and a keyring file back', async () => {
    await page.getByTestId('nav-keyring').click()
    await page.getByTestId('export-toggle').click()
    await page.getByTestId('export-passphrase').fill(BUNDLE_PASSPHRASE)
    await page.getByTestId('export-passphrase-confirm').fill(BUNDLE_PASSPHRASE)
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByTestId('export-submit').click()])
    expect(download.suggestedFilename()).toBe('hookscope-keyring.bundle')
    const bundle = readFileSync(await download.path()).toString('utf8')
    expect(bundle).toMatch(/^hookscope-keyring-v1\./)
    expect(bundle).not.toContain(SECRET)

    await keyRow('Orders').getByTestId('key-remove').click()
    await keyRow('Orders').getByTestId('key-remove-confirm').click()
    await keyRow('Orders').waitFor({ state: 'detached', ...WAIT })

    await page.getByTestId('import-toggle').click()
    await page.getByTestId('import-bundle-text').fill(bundle)
    await page.getByTestId('import-bundle-passphrase').fill('wrong passphrase')
    await page.getByTestId('import-bundle-submit').click()
    await page.getByTestId('import-error').waitFor(WAIT)
    await page.getByTestId('import-bundle-passphrase').fill(BUNDLE_PASSPHRASE)
    await page.getByTestId('import-bundle-submit').click()
    // The other keys of the bundle are still in the keyring: skipped, with the reason.
    await page.locator('[data-testid="import-result"][data-imported="1"][data-skipped="3"]').waitFor(WAIT)
    expect(await page.getByTestId('import-skipped').first().textContent()).toContain('id already in the keyring')
    await keyRow('Orders').waitFor(WAIT)
    expect(await keyRow('Orders').getAttribute('data-status')).toBe('DELETED')

    const keyringFile = {
      keys: [
        { name: 'GitHub', scheme: 'github', secret: 'gh-webhook-secret', status: 'INACTIVE', pathPrefixes: ['/github'] },
        { name: 'Mystery', scheme: 'no-such-scheme', secret: 'x' }
      ]
    }
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'keyring.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(keyringFile)) })
    const result = page.locator('[data-testid="import-result"][data-imported="1"][data-skipped="1"]')
    await result.waitFor(WAIT)
    expect(await page.getByTestId('import-skipped').textContent()).toMatch(/^Entry #2: .*no-such-scheme/)
    await keyRow('GitHub').waitFor(WAIT)
    expect(await keyRow('GitHub').getAttribute('data-status')).toBe('INACTIVE')

    await keyRow('GitHub').getByTestId('key-activate').click()
    await page.locator('[data-testid="key-row"][data-status="ACTIVE"]').filter({ hasText: 'GitHub' }).waitFor(WAIT)
    await page.getByTestId('import-form').getByLabel('Close').click()
    await screenshot('keyring')
  })

  it('refuses a wrong passphrase with the engine message after a restart (locked vault)', async () => {
    // Leave first: a page whose engine vanished would log its reconnect attempts as errors.
    await page.goto('about:blank')
    await cli.stop()
    cli = await startListen(dataDir)
    ui = cli.ui!
    await page.goto(`${ui.url}#token=${ui.token}`)
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT)
    expect(await page.getByTestId('nav-keyring-hint').textContent()).toBe('locked')
    await page.getByTestId('nav-keyring').click()
    await page.getByTestId('unlock-form').waitFor(WAIT)
    await page.getByTestId('unlock-passphrase').fill('not the passphrase')
    await page.getByTestId('unlock-submit').click()
    const error = page.getByTestId('unlock-error')
    await error.waitFor(WAIT)
    await screenshot('keyring-unlock')
    expect(await error.textContent()).toBe('wrong passphrase')
    await page.getByTestId('unlock-passphrase').fill(PASSPHRASE)
    await page.getByTestId('unlock-submit').click()
    await page.locator('[data-testid="vault-state"][data-state="unlocked"]').waitFor(WAIT)
    expect(await page.getByTestId('key-row').count()).toBe(5)
  })

  it('logged no errors and no CSP violations', () => {
    expect(problems).toEqual([])
  })
})
