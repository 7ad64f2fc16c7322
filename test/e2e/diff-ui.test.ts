import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startUiSession, type UiSession } from '../helpers/ui-session'

/**
 * The Compare page in Chromium against the headless CLI: two captured deliveries that differ in a
 * header and in one JSON value show exactly those differences, as text (a hostile value stays inert).
 */
const WAIT = { timeout: 10_000 }

let session: UiSession
let page: Page

beforeAll(async () => {
  session = await startUiSession('diff')
  page = session.page
})

afterAll(async () => {
  await session?.stop()
})

const post = (headers: Record<string, string>, body: string) => session.post('/hooks', body, headers)

describe('Compare page', () => {
  it('shows the changed header and the changed JSON value between two deliveries', async () => {
    const left = await post({ 'X-Signature': 'aaaa', 'X-Trace': '<img src=x onerror=alert(1)>' }, '{"type":"invoice.paid","amount":4200,"currency":"usd"}')
    const right = await post({ 'X-Signature': 'bbbb' }, '{"currency":"usd","type":"invoice.paid","amount":9900}')
    // From the delivery itself: "Compare with…" opens the Compare page with it on the left.
    await page.locator(`[data-testid="delivery-row"][data-id="${left}"]`).click()
    await page.locator(`[data-testid="delivery-detail"][data-id="${left}"] [data-testid="compare-with"]`).click()
    await page.locator(`[data-testid="diff-pick-right"] option[value="${right}"]`).waitFor({ state: 'attached', ...WAIT })
    expect(await page.locator('[data-testid="diff-pick-left"]').inputValue()).toBe(left)
    await page.locator('[data-testid="diff-pick-right"]').selectOption(right)
    await page.locator('[data-testid="diff-compare"]').click()
    await page.locator('[data-testid="diff-page"][data-status="ready"]').waitFor(WAIT)

    const rows = page.locator('[data-testid="diff-header-row"]')
    const changes = await rows.evaluateAll((elements) => elements.map((element) => [element.children[1]!.textContent, element.getAttribute('data-change')]))
    expect(changes).toContainEqual(['X-Signature', 'changed'])
    expect(changes).toContainEqual(['X-Trace', 'removed'])
    expect(changes.some(([name]) => name === 'Content-Type')).toBe(false)
    // The hostile header value is text, not an element.
    expect(await page.locator('[data-testid="diff-headers"] img').count()).toBe(0)
    expect(await page.locator('[data-testid="diff-headers"]').textContent()).toContain('<img src=x onerror=alert(1)>')

    const body = page.locator('[data-testid="diff-body"]')
    expect(await body.getAttribute('data-kind')).toBe('json')
    const removed = await body.locator('[data-op="remove"]').allTextContents()
    const added = await body.locator('[data-op="add"]').allTextContents()
    expect(removed.map((line) => line.trim())).toEqual(['-   "amount": 4200,'])
    expect(added.map((line) => line.trim())).toEqual(['+   "amount": 9900,'])
    expect(session.problems).toEqual([])
  })
})
