import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closedPort, startTarget, type TargetServer } from '../helpers/relay-targets'
import { startUiSession, type UiSession } from '../helpers/ui-session'

/**
 * A delivery's Relay tab following an ack-first chain live: a rule set on the Forwarding page sends
 * every delivery to a target that always answers 500, with a retry far in the future. The tab shows
 * the failure and the pending retry, "Retry now" runs it at once, "Cancel retries" ends the chain;
 * every change arrives through the engine's events. Then passthrough to a port nothing listens on:
 * the sender gets the fallback set on the Forwarding page, the tab the error in a sentence.
 */
const WAIT = { timeout: 15_000 }

let [session, page, target] = [null, null, null] as unknown as [UiSession, Page, TargetServer]

beforeAll(async () => {
  target = await startTarget((_req, res) => {
    res.writeHead(500, ['Content-Type', 'application/json'])
    res.end('{"error":"database is down"}')
  })
  session = await startUiSession('relay-timeline')
  page = session.page
})

afterAll(async () => {
  await session?.stop()
  await target?.close()
})

const post = (body: string) => session.post('/orders', body)

async function openRelayTab(id: string): Promise<void> {
  await page.locator('[data-testid="nav-deliveries"]').click()
  await page.locator(`[data-testid="delivery-row"][data-id="${id}"]`).click()
  await page.locator(`[data-testid="delivery-detail"][data-id="${id}"] [data-testid="inspector-tab-relay"]`).click()
}

describe('Relay tab', () => {
  it('shows a failed forward and its pending retry live; retry now, then cancel', async () => {
    await page.locator('[data-testid="nav-forwarding"]').click()
    await page.locator('[data-testid="rule-add"]').click()
    await page.locator('[data-testid="rule-target"]').fill(target.url)
    await page.locator('[data-testid="rule-mode"]').selectOption('ack-first')
    await page.locator('[data-testid="rule-retry"]').selectOption('custom')
    await page.locator('[data-testid="rule-retryBaseSeconds"]').fill('3600')
    await page.locator('[data-testid="rule-retryMaxDelaySeconds"]').fill('7200')
    await page.locator('[data-testid="rule-retryMaxRetries"]').fill('5')
    await page.locator('[data-testid="rules-save"]').click()
    await page.locator('[data-testid="rules-saved"]').waitFor(WAIT)

    const id = await post('{"type":"order.created"}')
    await target.waitForRequests(1)
    await openRelayTab(id)
    const timeline = page.locator('[data-testid="attempt-timeline"]')
    const scheduled = timeline.locator('[data-testid="attempt-row"][data-kind="relay"][data-state="scheduled"]')
    const failed = timeline.locator('[data-testid="attempt-row"][data-kind="relay"][data-state="failed"]')
    await scheduled.waitFor(WAIT)
    expect(await failed.count()).toBe(1)
    expect(await failed.locator('[data-testid="attempt-outcome"]').textContent()).toMatch(/^500 · /)
    expect(await scheduled.locator('[data-testid="attempt-outcome"]').textContent()).toMatch(/^next try in \d+ (min|h)$/)

    // Retry now: the pending retry runs at once, fails again, and the next one is scheduled.
    await page.locator('[data-testid="retry-now"]').click()
    await target.waitForRequests(2)
    await timeline.locator('[data-testid="attempt-row"][data-kind="relay"][data-state="failed"]').nth(1).waitFor(WAIT)
    await scheduled.waitFor(WAIT)
    expect(await timeline.locator('[data-testid="attempt-row"]').count()).toBe(3)

    // Cancel: the pending retry ends, with the reason, and nothing is left to cancel.
    await page.locator('[data-testid="cancel-retries"]').click()
    const cancelled = timeline.locator('[data-testid="attempt-row"][data-state="cancelled"]')
    await cancelled.waitFor(WAIT)
    expect(await cancelled.locator('[data-testid="attempt-error"]').getAttribute('data-code')).toBe('CANCELLED')
    expect(await page.locator('[data-testid="cancel-retries"]').count()).toBe(0)
    expect(await scheduled.count()).toBe(0)
    expect(target.requests).toHaveLength(2)
  })

  it('passthrough to a closed port: the sender gets the fallback set on the Forwarding page', async () => {
    const port = await closedPort()
    await page.locator('[data-testid="nav-forwarding"]').click()
    await page.locator('[data-testid="rule-target"]').fill(`http://127.0.0.1:${port}`)
    await page.locator('[data-testid="rule-mode"]').selectOption('passthrough')
    await page.locator('[data-testid="fallback-editor"] summary').click()
    await page.locator('[data-testid="fallback-status"]').fill('503')
    await page.locator('[data-testid="fallback-headers"]').fill('Retry-After: 30')
    await page.locator('[data-testid="fallback-own-body"]').check()
    await page.locator('[data-testid="fallback-body"]').fill('down for maintenance')
    await page.locator('[data-testid="rules-save"]').click()
    await page.locator('[data-testid="rules-saved"]').waitFor(WAIT)

    const response = await fetch(`${session.cli.captureUrl}orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"type":"order.paid"}'
    })
    expect([response.status, response.headers.get('retry-after'), await response.text()]).toEqual([503, '30', 'down for maintenance'])

    await page.locator('[data-testid="nav-deliveries"]').click()
    const newest = page.locator('[data-testid="delivery-row"]').first()
    await openRelayTab((await newest.getAttribute('data-id'))!)
    const failed = page.locator('[data-testid="attempt-timeline"] [data-testid="attempt-row"][data-state="failed"]')
    await failed.waitFor(WAIT)
    const error = failed.locator('[data-testid="attempt-error"]')
    expect(await error.getAttribute('data-code')).toBe('CONNECTION_REFUSED')
    expect(await error.textContent()).toContain(`nothing listens on 127.0.0.1:${port}`)
    expect(session.problems).toEqual([])
  })
})
