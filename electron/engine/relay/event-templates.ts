import type { EventTemplate } from '../../../shared/model/relay'

/**
 * Bodies for the test sender. The signing module (electron/engine/sign/) brings provider-shaped
 * templates; until it is wired, this seam offers the one every provider has: a test event like
 * the one their "send test" button sends.
 */
export interface EventTemplates {
  list(): EventTemplate[]
  /** The body for `id` with a fresh event id and time, or null for an unknown template. */
  render(id: string, context: { now: number; eventId: string; scheme: string }): { body: Buffer; contentType: string } | null
}

export const TEST_EVENT = 'test.webhook-event'

export const basicTemplates: EventTemplates = {
  list: () => [{ id: TEST_EVENT, label: 'Test event (as a provider\'s "send test" button sends)', schemes: [], contentType: 'application/json' }],
  render(id, { now, eventId }) {
    if (id !== TEST_EVENT) return null
    const body = {
      id: eventId,
      type: TEST_EVENT,
      created_at: new Date(now).toISOString(),
      data: { message: 'This is a test event sent by Hookscope.' }
    }
    return { body: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json' }
  }
}
