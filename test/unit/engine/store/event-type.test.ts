import { describe, expect, it } from 'vitest'
import { eventTypeOf, MAX_EVENT_TYPE_LENGTH, MAX_PARSED_BODY_BYTES } from '../../../../electron/engine/store/event-type'
import type { RawHeader } from '../../../../shared/model/delivery'

const json = (value: unknown) => Buffer.from(JSON.stringify(value))
const none = Buffer.alloc(0)

describe('eventTypeOf', () => {
  it.each<[string, RawHeader[], Buffer, string | null]>([
    [
      'Stripe: the event object type',
      [['Stripe-Signature', 't=1,v1=ab']],
      json({ id: 'evt_1', object: 'event', data: { object: { type: 'card' } }, type: 'invoice.paid' }),
      'invoice.paid'
    ],
    ['Standard Webhooks: type', [['webhook-id', 'msg_1']], json({ type: 'user.created', timestamp: '2024-01-01T00:00:00Z', data: {} }), 'user.created'],
    ['GitHub: header and action', [['X-GitHub-Event', 'pull_request']], json({ action: 'opened', number: 1 }), 'pull_request.opened'],
    ['GitHub: header alone when there is no action', [['x-github-event', 'push']], json({ ref: 'refs/heads/main' }), 'push'],
    ['GitHub: header wins over a body type', [['X-GitHub-Event', 'ping']], json({ type: 'Organization' }), 'ping'],
    ['Linear: header and action', [['Linear-Event', 'Issue']], json({ action: 'create', type: 'Issue' }), 'Issue.create'],
    ['GitLab: header', [['X-Gitlab-Event', 'Push Hook']], json({ object_kind: 'push' }), 'Push Hook'],
    ['Shopify: topic header', [['X-Shopify-Topic', 'orders/create']], json({ id: 1 }), 'orders/create'],
    ['Twitch: subscription type header', [['Twitch-Eventsub-Subscription-Type', 'channel.follow']], json({}), 'channel.follow'],
    ['CloudEvents binary mode', [['ce-type', 'com.example.object.deleted.v2']], none, 'com.example.object.deleted.v2'],
    ['Slack: the inner event of event_callback', [], json({ type: 'event_callback', event: { type: 'app_mention' } }), 'app_mention'],
    ['Slack: url_verification as is', [], json({ type: 'url_verification', challenge: 'x' }), 'url_verification'],
    ['Paddle: event_type', [], json({ event_id: 'evt', event_type: 'transaction.completed' }), 'transaction.completed'],
    ['Zoom: event', [], json({ event: 'meeting.started', payload: {} }), 'meeting.started'],
    ['Intercom: topic', [], json({ type: 'notification_event', topic: 'conversation.user.created' }), 'conversation.user.created'],
    ['Box: trigger', [], json({ trigger: 'FILE.UPLOADED' }), 'FILE.UPLOADED'],
    ['Coinbase: event.type', [], json({ id: 1, event: { type: 'charge:confirmed' } }), 'charge:confirmed'],
    ['PagerDuty: event.event_type', [], json({ event: { id: 'x', event_type: 'incident.triggered' } }), 'incident.triggered'],
    ['Feishu v2: header.event_type', [], json({ schema: '2.0', header: { event_type: 'im.message.receive_v1' } }), 'im.message.receive_v1'],
    ['Mailgun: event-data.event', [], json({ signature: {}, 'event-data': { event: 'delivered' } }), 'delivered'],
    [
      'Adyen: first notification item',
      [],
      json({ live: 'false', notificationItems: [{ NotificationRequestItem: { eventCode: 'AUTHORISATION' } }] }),
      'AUTHORISATION'
    ],
    ['SendGrid: a batch named by its first event', [], json([{ email: 'a@b', event: 'processed' }, { event: 'delivered' }]), 'processed'],
    ['HubSpot: subscriptionType', [], json([{ subscriptionType: 'contact.creation' }]), 'contact.creation'],
    ['a JSON body without a name', [], json({ hello: 'world' }), null],
    ['a numeric type is not a name', [], json({ type: 1 }), null],
    ['an empty type falls through to the next field', [], json({ type: '  ', event: 'x.y' }), 'x.y'],
    ['not JSON', [['Content-Type', 'text/plain']], Buffer.from('type=invoice.paid'), null],
    ['broken JSON', [], Buffer.from('{"type": "a.b"'), null],
    ['no body, no header', [], none, null],
    ['an inherited key is not read', [], json({ ['__proto__']: { type: 'polluted' } }), null]
  ])('%s', (_label, headers, body, expected) => {
    expect(eventTypeOf(headers, body)).toBe(expected)
  })

  it('reads UTF-8 header bytes as text', () => {
    // Node hands header values over as latin1 byte strings.
    const bytes = Buffer.from('café.créé', 'utf8').toString('latin1')
    expect(eventTypeOf([['X-Event-Type', bytes]], none)).toBe('café.créé')
  })

  it('removes control and bidi characters, and bounds the length', () => {
    expect(eventTypeOf([], json({ type: 'evil\u202e\u0000exe.gpj' }))).toBe('evilexe.gpj')
    expect(eventTypeOf([], json({ type: 'x'.repeat(1000) }))).toHaveLength(MAX_EVENT_TYPE_LENGTH)
  })

  it('does not parse bodies above the limit', () => {
    const padding = 'x'.repeat(MAX_PARSED_BODY_BYTES)
    expect(eventTypeOf([], json({ type: 'big.event', padding }))).toBeNull()
    expect(eventTypeOf([], json({ type: 'small.event', padding: 'x' }))).toBe('small.event')
  })

  it('skips leading whitespace before the JSON', () => {
    expect(eventTypeOf([], Buffer.from('\r\n  {"type":"a.b"}'))).toBe('a.b')
  })
})
