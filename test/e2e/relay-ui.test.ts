import type { Page } from 'playwright-core'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTarget, type TargetServer } from '../helpers/relay-targets'
import { startUiSession, type UiSession } from '../helpers/ui-session'

/**
 * The relay UI in Chromium against the headless CLI and a real loopback target: a rule saved on
 * the Forwarding page, a replay from a delivery's Relay tab that reaches the target and shows its
 * answer, an edited replay, the diff of the two responses, a re-signed replay and the Sender, both
 * checked at the target with the Standard Webhooks reference library. The target's answers carry
 * HTML, which must stay text.
 */
const WAIT = { timeout: 15_000 }
const HOSTILE = '<b id="pwned">bold</b><img src=x onerror="window.__pwned=1">'
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

let [session, page, target] = [null, null, null] as unknown as [UiSession, Page, TargetServer]
let keyId = ''

beforeAll(async () => {
  // The first replay: 201 and one JSON body; the edited one: 500 and another (what the diff shows); then 202.
  target = await startTarget((_req, res, received) => {
    const index = target.requests.indexOf(received)
    res.writeHead([201, 500][index] ?? 202, ['Content-Type', 'application/json', 'X-Attempt', String(index + 1)])
    res.end(JSON.stringify({ ok: index !== 1, note: HOSTILE, id: 'evt_1' }))
  })
  session = await startUiSession('relay', { env: { HOOKSCOPE_PASSPHRASE: 'correct horse battery staple' } })
  page = session.page
  keyId = await invoke<{ id: string }>('keys.create', { name: 'orders', scheme: 'standard-webhooks', status: 'ACTIVE', material: { secret: SECRET } }).then(
    (key) => key.id
  )
})

afterAll(async () => {
  await session?.stop()
  await target?.close()
})

/** A call on the engine's HTTP API, as the UI makes it (setup only: the tests drive the UI). */
async function invoke<T>(method: string, params: unknown): Promise<T> {
  const ui = session.cli.ui!
  const response = await fetch(`${ui.url}api/invoke/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ui.token}` },
    body: JSON.stringify(params)
  })
  const answer = (await response.json()) as { ok: true; value: T } | { ok: false; error: { message: string } }
  if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`)
  return answer.value
}

/** Throws unless the request carries a valid Standard Webhooks signature under SECRET. */
function verifyStandard(request: TargetServer['requests'][number]): void {
  const headers = Object.fromEntries(request.headers.map(([name, value]) => [name.toLowerCase(), value]))
  new Webhook(SECRET).verify(request.body.toString('utf8'), headers)
}

const post = (path: string, body: string) => session.post(path, body, { 'X-Trace': HOSTILE })

async function openRelayTab(deliveryId: string): Promise<void> {
  await page.locator('[data-testid="nav-deliveries"]').click()
  await page.locator(`[data-testid="delivery-row"][data-id="${deliveryId}"]`).click()
  await page.locator(`[data-testid="delivery-detail"][data-id="${deliveryId}"] [data-testid="inspector-tab-relay"]`).click()
  await page.locator('[data-testid="relay-tab"][data-status="ready"]').waitFor(WAIT)
}

async function noHostileElements(): Promise<void> {
  expect(await page.locator('#pwned').count()).toBe(0)
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
}

const original = '{"type":"invoice.paid","amount":4200}'
let deliveryId = ''

describe('relay UI', () => {
  it('saves a forwarding rule, warning only for a target off this machine', async () => {
    deliveryId = await post('/hooks/stripe', original)
    await page.locator('[data-testid="nav-forwarding"]').click()
    await page.locator('[data-testid="no-rules"]').waitFor(WAIT)
    await page.locator('[data-testid="rule-add"]').click()
    const targetField = page.locator('[data-testid="rule-target"]')
    await targetField.fill('http://203.0.113.7:3000')
    await page.locator('[data-testid="rule-target-warning"]').waitFor(WAIT)
    await targetField.fill(target.url)
    expect(await page.locator('[data-testid="rule-target-warning"]').count()).toBe(0)
    await page.locator('[data-testid="rule-timeoutSeconds"]').fill('0')
    await page.locator('[data-testid="rules-save"]').click()
    await page.locator('[data-testid="rules-saved"]').waitFor(WAIT)
    // Saved as the engine has it: reloading the page's data shows the same rule.
    expect(await page.locator('[data-testid="rule-editor"]').count()).toBe(1)
    expect(new URL(await page.locator('[data-testid="rule-target"]').inputValue()).href).toBe(new URL(target.url).href)
    expect(await page.locator('[data-testid="rule-timeoutSeconds"]').inputValue()).toBe('0')
  })

  it('replays a delivery from its Relay tab to the rule’s target and shows the target’s answer as text', async () => {
    await openRelayTab(deliveryId)
    await page.locator('[data-testid="relay-empty"]').waitFor(WAIT)
    await page.locator('[data-testid="open-replay"]').click()
    const dialog = page.locator('[data-testid="replay-dialog"]')
    await dialog.locator('[data-testid="replay-target-rule"]:checked').waitFor(WAIT)
    await dialog.locator('[data-testid="replay-send"]').click()
    const result = dialog.locator('[data-testid="replay-result"]')
    await result.waitFor(WAIT)

    // It reached the target: same bytes, the delivery's path after the rule's origin.
    expect(target.requests).toHaveLength(1)
    expect(target.requests[0]!.url).toBe('/hooks/stripe')
    expect(target.requests[0]!.body.toString('utf8')).toBe(original)
    expect(await result.getAttribute('data-state')).toBe('succeeded')
    expect(await result.locator('[data-testid="attempt-response-status"]').textContent()).toBe('201')
    expect(await result.locator('[data-testid="attempt-response-body"]').textContent()).toContain(HOSTILE.replace(/"/g, '\\"'))
    await noHostileElements()

    await dialog.locator('[data-testid="replay-dialog-close"]').click()
    // The replay joined the timeline through the engine's events (the list was loaded empty).
    const row = page.locator('[data-testid="attempt-row"][data-kind="replay"][data-state="succeeded"]')
    await row.waitFor(WAIT)
    expect(await row.locator('[data-testid="attempt-outcome"]').textContent()).toMatch(/^201 · /)
  })

  it('sends an edited replay, then diffs the two responses', async () => {
    const edited = '{"type":"invoice.paid","amount":9900}'
    await page.locator('[data-testid="open-replay"]').click()
    const dialog = page.locator('[data-testid="replay-dialog"]')
    await dialog.locator('[data-testid="replay-mode-edited"]').check()
    const body = dialog.locator('[data-testid="replay-body-editor-content"]')
    await body.click()
    await page.keyboard.press('Control+A')
    await page.keyboard.insertText(edited)
    await dialog.locator('[data-testid="replay-send"]').click()
    const result = dialog.locator('[data-testid="replay-result"]')
    await result.waitFor(WAIT)
    expect(target.requests).toHaveLength(2)
    expect(target.requests[1]!.body.toString('utf8')).toBe(edited)
    expect(await result.getAttribute('data-state')).toBe('failed')
    expect(await result.locator('[data-testid="attempt-response-status"]').textContent()).toBe('500')
    await dialog.locator('[data-testid="replay-dialog-close"]').click()

    const rows = page.locator('[data-testid="attempt-row"]')
    await page.locator('[data-testid="attempt-row"][data-state="failed"]').waitFor(WAIT)
    expect(await rows.count()).toBe(2)
    await rows.nth(0).locator('[data-testid="attempt-pick"]').check()
    await rows.nth(1).locator('[data-testid="attempt-pick"]').check()
    await page.locator('[data-testid="compare-responses"]').click()
    const diff = page.locator('[data-testid="response-diff"]')
    await diff.waitFor(WAIT)

    expect(await diff.locator('[data-testid="response-diff-status"]').getAttribute('data-same')).toBe('false')
    expect((await diff.locator('[data-testid="response-diff-status"]').textContent())?.replace(/\s+/g, ' ')).toContain('201 → 500')
    const headerRows = await diff
      .locator('[data-testid="diff-header-row"]')
      .evaluateAll((elements) => elements.map((element) => [element.children[1]!.textContent, element.getAttribute('data-change')]))
    expect(headerRows).toContainEqual(['X-Attempt', 'changed'])
    expect(headerRows.some(([name]) => name === 'Content-Type')).toBe(false)
    const bodyDiff = diff.locator('[data-testid="diff-body"]')
    expect(await bodyDiff.getAttribute('data-kind')).toBe('json')
    expect((await bodyDiff.locator('[data-op="remove"]').allTextContents()).map((line) => line.trim())).toEqual(['-   "ok": true'])
    expect((await bodyDiff.locator('[data-op="add"]').allTextContents()).map((line) => line.trim())).toEqual(['+   "ok": false'])
    await noHostileElements()
  })

  it('re-signs a replay with a keyring key; the reference library verifies it at the target', async () => {
    await page.locator('[data-testid="open-replay"]').click()
    const dialog = page.locator('[data-testid="replay-dialog"]')
    await dialog.locator('[data-testid="replay-mode-resigned"]').check()
    await dialog.locator(`[data-testid="replay-key"] option[value="${keyId}"]:not([disabled])`).waitFor({ state: 'attached', ...WAIT })
    await dialog.locator('[data-testid="replay-key"]').selectOption(keyId)
    await dialog.locator('[data-testid="replay-send"]').click()
    const result = dialog.locator('[data-testid="replay-result"]')
    await result.waitFor(WAIT)
    expect(target.requests).toHaveLength(3)
    expect(() => verifyStandard(target.requests[2]!)).not.toThrow()
    expect(await result.locator('[data-testid="attempt-response-status"]').textContent()).toBe('202')
    // Hookscope's own verdict on what it sent: this endpoint holds the key, so it verifies.
    expect(await result.locator('[data-testid="attempt-detail-verdict"]').getAttribute('data-status')).toBe('valid')
    // Against the delivery as received: the signature headers are new, the body is the same bytes.
    await result.locator('[data-testid="attempt-diff-original"]').click()
    const original = result.locator('[data-testid="original-request-diff"]')
    const headerRows = await original
      .locator('[data-testid="diff-header-row"]')
      .evaluateAll((elements) => elements.map((element) => [element.children[1]!.textContent!.toLowerCase(), element.getAttribute('data-change')]))
    expect(headerRows).toEqual(
      expect.arrayContaining([
        ['webhook-id', 'added'],
        ['webhook-signature', 'added']
      ])
    )
    await original.locator('[data-testid="diff-body-equal"]').waitFor(WAIT)
    await dialog.locator('[data-testid="replay-dialog-close"]').click()
    await page.locator('[data-testid="attempt-row"]').nth(2).waitFor(WAIT)
  })

  it('sends signed test events from the Sender page, each shown as an attempt', async () => {
    await page.locator('[data-testid="nav-sender"]').click()
    await page.locator(`[data-testid="sender-key"] option[value="${keyId}"]:not([disabled])`).waitFor({ state: 'attached', ...WAIT })
    await page.locator('[data-testid="sender-key"]').selectOption(keyId)
    await page.locator('[data-testid="sender-url"]').fill(`${target.url}/sent`)
    await page.locator('[data-testid="sender-count"]').fill('2')
    await page.locator('[data-testid="sender-interval"]').fill('0')
    await page.locator('[data-testid="sender-send"]').click()
    const rows = page.locator('[data-testid="sender-results"] [data-testid="attempt-row"][data-kind="send"]')
    await page.locator('[data-testid="sender-results"] [data-testid="attempt-row"][data-state="succeeded"]').nth(1).waitFor(WAIT)
    await page.locator('[data-testid="sender-send"]:not([disabled])').waitFor(WAIT)
    expect(await rows.count()).toBe(2)
    expect(await rows.locator('[data-testid="attempt-signed-with"]').allTextContents()).toEqual(['signed: orders', 'signed: orders'])
    expect(await rows.locator('[data-testid="attempt-signed-with"]').allTextContents()).toEqual(['signed: orders', 'signed: orders'])
    expect(await rows.locator('[data-testid="attempt-outcome"]').allTextContents()).toEqual([
      expect.stringMatching(/^202 · /),
      expect.stringMatching(/^202 · /)
    ])
    const sent = target.requests.slice(3)
    expect(sent.map((request) => request.url)).toEqual(['/sent', '/sent'])
    for (const request of sent) expect(() => verifyStandard(request)).not.toThrow()
    // Each send has a fresh id.
    expect(new Set(sent.map((request) => request.headers.find(([name]) => name.toLowerCase() === 'webhook-id')?.[1])).size).toBe(2)
  })

  it('replays every delivery of the list to a URL in one batch, with its progress', async () => {
    await post('/hooks/other', '{"type":"customer.created"}')
    const before = target.requests.length
    await page.locator('[data-testid="nav-deliveries"]').click()
    await page.locator('[data-testid="delivery-row"]').nth(1).waitFor(WAIT)
    await page.locator('[data-testid="bulk-replay-open"]').click()
    const dialog = page.locator('[data-testid="bulk-replay-dialog"]')
    await dialog.locator('[data-testid="bulk-scope-filter"]').check()
    await dialog.locator('[data-testid="bulk-url"]').fill(`${target.url}/bulk`)
    await dialog.locator('[data-testid="bulk-start"]').click()
    const progress = dialog.locator('[data-testid="bulk-progress"][data-state="finished"]')
    await progress.waitFor(WAIT)
    expect([await progress.getAttribute('data-done'), await progress.getAttribute('data-total')]).toEqual(['2', '2'])
    // A full URL takes every replay there, whatever the delivery's path.
    const replayed = target.requests.slice(before)
    expect(replayed.map((request) => request.url)).toEqual(['/bulk', '/bulk'])
    expect(replayed.map((request) => request.body.toString('utf8')).sort()).toEqual([original, '{"type":"customer.created"}'].sort())
    await dialog.locator('[data-testid="bulk-replay-dialog-close"]').click()
    expect(session.problems).toEqual([])
  })
})
