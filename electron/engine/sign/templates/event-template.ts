import type { RawHeader } from '../../../../shared/model/delivery'

/** What a template is rendered with: the same injected clock and fresh id the signer gets. */
export interface TemplateContext {
  now: number
  newId: string
}

/**
 * An event body a provider sends, for the sender (compose without a provider) and for tests.
 * Rendered, it gives the provider's non-signature headers (event name, content type) and the
 * body; signRequest then adds the id, timestamp and signature headers.
 */
export interface EventTemplate {
  /** `<scheme>.<event>`, stable (the CLI's `send --event` and the UI name templates by it). */
  id: string
  /** The scheme the template is written for. */
  scheme: string
  /** The provider's own event name (Stripe `type`, GitHub `X-GitHub-Event`...). */
  event: string
  label: string
  /** What the provider's "send test" button sends. */
  test: boolean
  render(context: TemplateContext): { headers: RawHeader[]; body: string }
  /** Envelope schemes whose body carries a sealed part (WeChat Pay's resource): what to seal in it (SignInput.plaintext). */
  plaintext?(context: TemplateContext): string
}

export const JSON_TYPE: RawHeader = ['Content-Type', 'application/json']
export const FORM_TYPE: RawHeader = ['Content-Type', 'application/x-www-form-urlencoded']

export function isoTime(now: number): string {
  return new Date(now).toISOString()
}

export function seconds(now: number): number {
  return Math.floor(now / 1000)
}

/** A JSON template: `body` builds the event object, serialised as the provider does (compact or 2-space). */
export function jsonTemplate(
  scheme: string,
  event: string,
  label: string,
  body: (context: TemplateContext) => unknown,
  options: { test?: boolean; headers?: (context: TemplateContext) => RawHeader[]; pretty?: boolean } = {}
): EventTemplate {
  return {
    id: `${scheme}.${event}`,
    scheme,
    event,
    label,
    test: options.test ?? false,
    render: (context) => ({
      headers: [JSON_TYPE, ...(options.headers?.(context) ?? [])],
      body: JSON.stringify(body(context), null, options.pretty ? 2 : undefined)
    })
  }
}

/**
 * The test event every scheme can send: `test.webhook-event`, shaped like the events Standard
 * Webhooks senders (and most providers' "send test" buttons) deliver.
 */
export function testEvent(scheme: string): EventTemplate {
  return jsonTemplate(
    scheme,
    'test.webhook-event',
    'Test event (as a "send test" button sends)',
    ({ now, newId }) => ({
      type: 'test.webhook-event',
      id: `evt_${newId}`,
      timestamp: isoTime(now),
      data: { message: 'This is a test event sent by Hookscope.', test: true }
    }),
    { test: true }
  )
}
