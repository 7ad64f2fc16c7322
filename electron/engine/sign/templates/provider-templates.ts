import type { EventTemplate } from './event-template'
import { FORM_TYPE, isoTime, jsonTemplate, seconds } from './event-template'

/**
 * A few events per provider, shaped after each provider's documented examples (ids and times
 * come from the render context, so every send is a new event). Schemes without a test event of
 * their own also get the generic one (event-template.ts testEvent).
 */
const stripeEvent = (type: string, object: (id: string) => Record<string, unknown>) =>
  jsonTemplate(
    'stripe',
    type,
    `Stripe ${type}`,
    ({ now, newId }) => ({
      id: `evt_${newId}`,
      object: 'event',
      api_version: '2024-06-20',
      created: seconds(now),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: object(newId) }
    }),
    { pretty: true }
  )

const github = (event: string, label: string, body: (id: string) => Record<string, unknown>, test = false) =>
  jsonTemplate('github', event, label, ({ newId }) => body(newId), {
    test,
    headers: () => [
      ['X-GitHub-Event', event],
      ['X-GitHub-Hook-ID', '123456789'],
      ['User-Agent', 'GitHub-Hookshot/hookscope']
    ]
  })

const REPOSITORY = { id: 1296269, name: 'hello-world', full_name: 'octocat/hello-world', private: false, html_url: 'https://github.com/octocat/hello-world' }

export const providerTemplates: EventTemplate[] = [
  jsonTemplate('standard-webhooks', 'invoice.paid', 'Invoice paid', ({ now, newId }) => ({
    type: 'invoice.paid',
    timestamp: isoTime(now),
    data: { id: `inv_${newId}`, amount: 4200, currency: 'usd' }
  })),
  jsonTemplate('svix', 'user.created', 'User created (Clerk-style)', ({ now, newId }) => ({
    type: 'user.created',
    object: 'event',
    timestamp: seconds(now) * 1000,
    data: { id: `user_${newId}`, email_addresses: [{ email_address: 'ada@example.com' }] }
  })),
  stripeEvent('invoice.paid', (id) => ({ id: `in_${id}`, object: 'invoice', amount_paid: 4200, currency: 'usd', customer: 'cus_hookscope', status: 'paid' })),
  stripeEvent('payment_intent.succeeded', (id) => ({ id: `pi_${id}`, object: 'payment_intent', amount: 2000, currency: 'usd', status: 'succeeded' })),
  stripeEvent('customer.created', (id) => ({ id: `cus_${id}`, object: 'customer', email: 'ada@example.com', name: 'Ada Lovelace' })),
  github(
    'ping',
    'Ping (sent when a webhook is created)',
    (id) => ({
      zen: 'Keep it logically awesome.',
      hook_id: 123456789,
      hook: { type: 'Repository', id: 123456789, events: ['push'], active: true },
      repository: REPOSITORY,
      delivery: id
    }),
    true
  ),
  github('push', 'Push', () => ({
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: 'a'.repeat(40),
    repository: REPOSITORY,
    pusher: { name: 'octocat' },
    commits: [{ id: 'a'.repeat(40), message: 'Update README', author: { name: 'Octocat' } }]
  })),
  github('issues', 'Issue opened', () => ({
    action: 'opened',
    issue: { number: 1347, title: 'Found a bug', state: 'open', user: { login: 'octocat' } },
    repository: REPOSITORY
  })),
  jsonTemplate(
    'shopify',
    'orders/create',
    'Order created',
    ({ now, newId }) => ({
      id: 820982911946154500,
      admin_graphql_api_id: `gid://shopify/Order/${newId}`,
      created_at: isoTime(now),
      currency: 'USD',
      total_price: '199.65',
      email: 'jon@example.com'
    }),
    {
      headers: () => [
        ['X-Shopify-Topic', 'orders/create'],
        ['X-Shopify-Shop-Domain', 'hookscope-test.myshopify.com'],
        ['X-Shopify-API-Version', '2024-07']
      ]
    }
  ),
  jsonTemplate(
    'slack',
    'url_verification',
    'URL verification (challenge)',
    ({ newId }) => ({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: newId, type: 'url_verification' }),
    { test: true }
  ),
  jsonTemplate('slack', 'app_mention', 'App mention', ({ now, newId }) => ({
    type: 'event_callback',
    team_id: 'T0001',
    api_app_id: 'A0001',
    event_id: `Ev${newId}`,
    event_time: seconds(now),
    event: { type: 'app_mention', user: 'U0001', text: '<@U0LAN0Z89> is it everything a river should be?', channel: 'C0001', ts: `${seconds(now)}.000100` }
  })),
  {
    id: 'twilio.incoming-message',
    scheme: 'twilio',
    event: 'incoming-message',
    label: 'Incoming SMS (form post)',
    test: false,
    render: ({ newId }) => ({
      headers: [FORM_TYPE],
      body: new URLSearchParams({
        AccountSid: 'AC00000000000000000000000000000000',
        Body: 'Hello from Hookscope',
        From: '+15005550006',
        MessageSid: `SM${newId}`,
        NumMedia: '0',
        To: '+15005550001'
      }).toString()
    })
  },
  jsonTemplate('square', 'payment.created', 'Payment created', ({ now, newId }) => ({
    merchant_id: 'MLHOOKSCOPE',
    type: 'payment.created',
    event_id: newId,
    created_at: isoTime(now),
    data: { type: 'payment', id: `pay_${newId}`, object: { payment: { amount_money: { amount: 100, currency: 'USD' }, status: 'COMPLETED' } } }
  })),
  jsonTemplate('paddle', 'transaction.completed', 'Transaction completed', ({ now, newId }) => ({
    event_id: `evt_${newId}`,
    event_type: 'transaction.completed',
    occurred_at: isoTime(now),
    notification_id: `ntf_${newId}`,
    data: { id: `txn_${newId}`, status: 'completed', currency_code: 'USD' }
  })),
  jsonTemplate(
    'pagerduty',
    'pagey.ping',
    'Ping (PagerDuty test)',
    ({ now, newId }) => ({
      event: {
        id: newId,
        event_type: 'pagey.ping',
        resource_type: 'pagey',
        occurred_at: isoTime(now),
        agent: null,
        client: null,
        data: { message: 'Hello from your friend Pagey!', type: 'ping' }
      }
    }),
    { test: true }
  ),
  jsonTemplate('pagerduty', 'incident.triggered', 'Incident triggered', ({ now, newId }) => ({
    event: {
      id: newId,
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: isoTime(now),
      data: { id: 'PGR0VU2', type: 'incident', title: 'A little bump in the road', status: 'triggered', urgency: 'high' }
    }
  })),
  jsonTemplate('linear', 'Issue.create', 'Issue created', ({ now, newId }) => ({
    action: 'create',
    type: 'Issue',
    createdAt: isoTime(now),
    organizationId: 'org_hookscope',
    webhookTimestamp: now,
    webhookId: newId,
    data: { id: newId, title: 'Investigate webhook failures', priority: 2 }
  })),
  jsonTemplate(
    'zoom',
    'endpoint.url_validation',
    'URL validation',
    ({ now, newId }) => ({ event: 'endpoint.url_validation', payload: { plainToken: newId }, event_ts: now }),
    { test: true }
  ),
  jsonTemplate('zoom', 'meeting.started', 'Meeting started', ({ now, newId }) => ({
    event: 'meeting.started',
    event_ts: now,
    payload: { account_id: 'AAAAAABBBB', object: { id: 1234567890, uuid: newId, topic: 'Weekly sync', start_time: isoTime(now) } }
  })),
  jsonTemplate(
    'twitch',
    'webhook_callback_verification',
    'Callback verification (challenge)',
    ({ now, newId }) => ({
      challenge: newId,
      subscription: { id: newId, status: 'webhook_callback_verification_pending', type: 'channel.follow', version: '2', created_at: isoTime(now) }
    }),
    { test: true, headers: () => [['Twitch-Eventsub-Message-Type', 'webhook_callback_verification']] }
  ),
  jsonTemplate(
    'twitch',
    'channel.follow',
    'Channel follow',
    ({ now, newId }) => ({
      subscription: { id: newId, type: 'channel.follow', version: '2', status: 'enabled', created_at: isoTime(now) },
      event: { user_id: '1234', user_login: 'cool_user', broadcaster_user_id: '1337', followed_at: isoTime(now) }
    }),
    {
      headers: () => [
        ['Twitch-Eventsub-Message-Type', 'notification'],
        ['Twitch-Eventsub-Subscription-Type', 'channel.follow']
      ]
    }
  ),
  jsonTemplate(
    'intercom',
    'ping',
    'Ping (Intercom test)',
    ({ now, newId }) => ({
      type: 'notification_event',
      app_id: 'hookscope',
      id: `notif_${newId}`,
      topic: 'ping',
      created_at: seconds(now),
      data: { item: { type: 'ping', message: 'Ping from Intercom' } }
    }),
    { test: true }
  ),
  jsonTemplate('hubspot', 'contact.creation', 'Contact created', ({ now }) => [
    {
      eventId: 1,
      subscriptionId: 12345,
      portalId: 62515,
      appId: 54321,
      occurredAt: now,
      subscriptionType: 'contact.creation',
      attemptNumber: 0,
      objectId: 123,
      changeSource: 'CRM',
      changeFlag: 'NEW'
    }
  ]),
  jsonTemplate('box', 'FILE.UPLOADED', 'File uploaded', ({ now, newId }) => ({
    type: 'webhook_event',
    id: newId,
    created_at: isoTime(now),
    trigger: 'FILE.UPLOADED',
    source: { id: '12345', type: 'file', name: 'report.pdf' }
  })),
  jsonTemplate('mailgun', 'delivered', 'Message delivered', ({ now, newId }) => ({
    signature: { timestamp: String(seconds(now)), token: newId, signature: '' },
    'event-data': {
      event: 'delivered',
      id: newId,
      timestamp: seconds(now),
      recipient: 'alice@example.com',
      message: { headers: { 'message-id': `${newId}@example.com` } }
    }
  })),
  jsonTemplate('coinbase', 'charge:confirmed', 'Charge confirmed', ({ now, newId }) => ({
    id: 1,
    scheduled_for: isoTime(now),
    attempt_number: 1,
    event: {
      id: newId,
      resource: 'event',
      type: 'charge:confirmed',
      api_version: '2018-03-22',
      created_at: isoTime(now),
      data: { code: 'HOOKSCOPE', name: 'Test charge', pricing: { local: { amount: '1.00', currency: 'USD' } } }
    }
  })),
  jsonTemplate('adyen', 'AUTHORISATION', 'Payment authorised (notification)', ({ now, newId }) => ({
    live: 'false',
    notificationItems: [
      {
        NotificationRequestItem: {
          additionalData: {},
          amount: { currency: 'EUR', value: 1000 },
          eventCode: 'AUTHORISATION',
          eventDate: isoTime(now),
          merchantAccountCode: 'HookscopeTest',
          merchantReference: `order-${newId}`,
          pspReference: newId.toUpperCase().slice(0, 16),
          paymentMethod: 'visa',
          success: 'true'
        }
      }
    ]
  })),
  jsonTemplate(
    'gitlab',
    'Push Hook',
    'Push',
    () => ({
      object_kind: 'push',
      ref: 'refs/heads/main',
      user_name: 'Ada',
      project: { id: 15, name: 'hookscope', web_url: 'https://gitlab.example.com/ada/hookscope' },
      commits: [],
      total_commits_count: 0
    }),
    { headers: () => [['X-Gitlab-Event', 'Push Hook']] }
  ),
  jsonTemplate(
    'discord',
    'PING',
    'Ping (interaction type 1)',
    ({ newId }) => ({ type: 1, id: newId, application_id: '123456789012345678', token: 'interaction-token', version: 1 }),
    { test: true }
  ),
  jsonTemplate('sendgrid', 'delivered', 'Event webhook: delivered', ({ now, newId }) => [
    { email: 'example@test.com', timestamp: seconds(now), event: 'delivered', sg_event_id: newId, sg_message_id: `${newId}.filter0001` }
  ]),
  {
    ...jsonTemplate('wechatpay', 'TRANSACTION.SUCCESS', 'Payment success (resource sealed on send)', ({ now, newId }) => ({
      id: newId,
      create_time: isoTime(now),
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: '', associated_data: 'transaction', nonce: '' }
    })),
    plaintext: ({ now, newId }) =>
      JSON.stringify({ mchid: '1900000001', out_trade_no: newId, trade_state: 'SUCCESS', success_time: isoTime(now), amount: { total: 100, currency: 'CNY' } })
  },
  jsonTemplate('feishu', 'im.message.receive_v1', 'Message received (encrypted on send)', ({ now, newId }) => ({
    schema: '2.0',
    header: { event_id: newId, event_type: 'im.message.receive_v1', create_time: String(now), token: 'verification-token', app_id: 'cli_hookscope' },
    event: { message: { message_type: 'text', content: '{"text":"hello"}' } }
  })),
  jsonTemplate('aes-256-gcm', 'payment.succeeded', 'Payment succeeded (sealed on send)', ({ now, newId }) => ({
    type: 'payment.succeeded',
    id: newId,
    created_at: isoTime(now),
    data: { amount: 4200, currency: 'EUR' }
  }))
]
