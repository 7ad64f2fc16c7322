import type { RawHeader } from '../../../shared/model/delivery'

/**
 * The sender's name for what happened ("invoice.paid", "push", "orders/create"), read from the
 * headers and JSON body of a delivery, or null when there is none. Pure and synchronous: computed
 * once when a delivery is stored, and kept in an indexed column so the list can filter by it.
 */
export function eventTypeOf(headers: readonly RawHeader[], body: Uint8Array): string | null {
  const fromHeader = headerEventType(headers)
  if (fromHeader?.withAction) {
    const action = readJsonObject(body)?.action
    return clean(typeof action === 'string' && clean(action) ? `${fromHeader.value}.${action}` : fromHeader.value)
  }
  if (fromHeader) return clean(fromHeader.value)
  const json = readJson(body)
  return json === undefined ? null : bodyEventType(json)
}

/** Longer names are cut: this is a label and a filter key, not a payload. */
export const MAX_EVENT_TYPE_LENGTH = 120

/** Bodies larger than this are not parsed for their type: the store must stay fast at capture. */
export const MAX_PARSED_BODY_BYTES = 1024 * 1024

/**
 * Headers that name the event, by provider. `withAction`: the body's `action` refines it
 * (GitHub `pull_request` + `opened`, Linear `Issue` + `create`).
 */
const EVENT_HEADERS: ReadonlyMap<string, { withAction: boolean }> = new Map([
  ['x-github-event', { withAction: true }],
  ['linear-event', { withAction: true }],
  ['x-gitlab-event', { withAction: false }],
  ['x-shopify-topic', { withAction: false }],
  ['x-wc-webhook-topic', { withAction: false }],
  ['x-event-key', { withAction: false }], // Bitbucket
  ['twitch-eventsub-subscription-type', { withAction: false }],
  ['ce-type', { withAction: false }], // CloudEvents, binary mode
  ['x-event-type', { withAction: false }],
  ['x-webhook-event', { withAction: false }],
  ['x-event-name', { withAction: false }]
])

function headerEventType(headers: readonly RawHeader[]): { value: string; withAction: boolean } | null {
  for (const [name, value] of headers) {
    const rule = EVENT_HEADERS.get(name.toLowerCase())
    if (rule && value.trim() !== '') return { value: latin1ToText(value).trim(), withAction: rule.withAction }
  }
  return null
}

/** Where providers put the event name in a JSON body, most specific first. */
function bodyEventType(json: unknown): string | null {
  if (Array.isArray(json)) {
    // Batched senders (SendGrid `event`, HubSpot `subscriptionType`): the first item names the batch.
    const first: unknown = json[0]
    return isObject(first) ? pickString(first, ['event', 'subscriptionType', 'eventType', 'type']) : null
  }
  if (!isObject(json)) return null
  const nested = json.event
  // Slack's Events API wraps everything in `event_callback`; the inner type is the useful one.
  if (json.type === 'event_callback' && isObject(nested)) {
    const inner = pickString(nested, ['type'])
    if (inner) return inner
  }
  // Intercom's envelope is always `notification_event`; the topic says what happened.
  if (json.type === 'notification_event') {
    const topic = pickString(json, ['topic'])
    if (topic) return topic
  }
  const direct = pickString(json, ['type', 'event_type', 'eventType', 'event', 'topic', 'trigger'])
  if (direct) return direct
  // Coinbase `event.type`, PagerDuty `event.event_type`, Feishu `header.event_type`, Mailgun `event-data.event`.
  for (const [field, keys] of [
    ['event', ['type', 'event_type']],
    ['header', ['event_type']],
    ['event-data', ['event']]
  ] as const) {
    const inner = json[field]
    if (isObject(inner)) {
      const found = pickString(inner, keys)
      if (found) return found
    }
  }
  // Adyen: notificationItems[0].NotificationRequestItem.eventCode.
  const items = json.notificationItems
  if (Array.isArray(items) && isObject(items[0]) && isObject(items[0].NotificationRequestItem)) {
    return pickString(items[0].NotificationRequestItem, ['eventCode'])
  }
  return null
}

/** Header values are byte strings (one char per byte): read them as UTF-8 when they are. */
function latin1ToText(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value)) return value
  const bytes = Uint8Array.from(value, (char) => char.charCodeAt(0) & 0xff)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return value
  }
}

function pickString(object: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    if (!Object.hasOwn(object, key)) continue
    const value = object[key]
    if (typeof value === 'string') {
      const cleaned = clean(value)
      if (cleaned) return cleaned
    }
  }
  return null
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readJsonObject(body: Uint8Array): Record<string, unknown> | null {
  const json = readJson(body)
  return isObject(json) ? json : null
}

const decoder = new TextDecoder('utf-8', { fatal: false })

/** The parsed body when it is a small JSON object or array; undefined otherwise (never throws). */
function readJson(body: Uint8Array): unknown {
  if (body.length < 2 || body.length > MAX_PARSED_BODY_BYTES) return undefined
  // Cheap check before decoding: JSON documents we care about start with { or [ (after whitespace).
  let i = 0
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x09 || body[i] === 0x0a || body[i] === 0x0d)) i++
  if (body[i] !== 0x7b && body[i] !== 0x5b) return undefined
  try {
    return JSON.parse(decoder.decode(body)) as unknown
  } catch {
    return undefined
  }
}

/** One line of visible text, bounded; null when nothing is left. */
function clean(value: string): string | null {
  // Control characters (and bidi overrides) would garble the list or the filter menu.
  const text = value.replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim()
  if (text === '') return null
  return text.length > MAX_EVENT_TYPE_LENGTH ? text.slice(0, MAX_EVENT_TYPE_LENGTH) : text
}
