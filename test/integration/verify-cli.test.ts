import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, spawnCli, withTimeout } from '../helpers/cli-process'
import { makeTempDir } from '../helpers/temp-dir'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const AT = 1_700_000_000
const body = '{"type":"invoice.paid","amount":4200}'
let dir: ReturnType<typeof makeTempDir>

function write(name: string, value: unknown): string {
  const path = join(dir.path, name)
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value))
  return path
}

function standardDelivery(payload = body) {
  const signature = new Webhook(SECRET).sign('msg_cli', new Date(AT * 1000), body)
  return {
    method: 'POST',
    url: 'https://example.test/hooks',
    headers: [
      ['webhook-id', 'msg_cli'],
      ['webhook-timestamp', String(AT)],
      ['webhook-signature', signature]
    ],
    body: payload
  }
}

beforeAll(() => {
  dir = makeTempDir()
})
afterAll(() => dir.remove())

describe('hookscope verify', () => {
  const keyring = () => write('keyring.json', { keys: [{ id: 'sw', scheme: 'standard-webhooks', secret: SECRET }] })

  it('exits 0 for a valid delivery and prints the verdict as JSON with --json', async () => {
    const result = await runCli(['verify', '--delivery', write('ok.json', standardDelivery()), '--keyring', keyring(), '--now', String(AT + 5), '--json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'valid', scheme: 'standard-webhooks', keyId: 'sw' })
  })

  it('exits 1 for a changed body and names the change', async () => {
    const result = await runCli([
      'verify',
      '--delivery',
      write('changed.json', standardDelivery(body + '\n')),
      '--keyring',
      keyring(),
      '--now',
      String(AT),
      '--json'
    ])
    expect(result.code).toBe(1)
    const verdict = JSON.parse(result.stdout)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH' })
    expect(verdict.findings.map((f: { code: string }) => f.code)).toContain('BODY_CHANGED')
  })

  it('exits 1 for a stale timestamp when judged at the given --now', async () => {
    const result = await runCli(['verify', '--delivery', write('stale.json', standardDelivery()), '--keyring', keyring(), '--now', String(AT + 3600), '--json'])
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({ code: 'TIMESTAMP_STALE' })
  })

  it('accepts bodyBase64 and header objects, and finds the scheme and key without a hint', async () => {
    const stripeBody = '{"id":"evt_1","object":"event"}'
    const stripeSecret = 'whsec_test_secret'
    const header = Stripe.webhooks.generateTestHeaderString({ payload: stripeBody, secret: stripeSecret, timestamp: AT })
    const delivery = write('stripe.json', {
      url: 'https://example.test/stripe',
      headers: { 'Stripe-Signature': header, 'Content-Type': 'application/json' },
      bodyBase64: Buffer.from(stripeBody).toString('base64')
    })
    const keys = write('two-keys.json', {
      keys: [
        { id: 'sw', scheme: 'standard-webhooks', secret: SECRET },
        { id: 'stripe-live', scheme: 'stripe', secret: stripeSecret }
      ]
    })
    const result = await runCli(['verify', '--delivery', delivery, '--keyring', keys, '--now', String(AT), '--json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'valid', scheme: 'stripe', keyId: 'stripe-live' })
  })

  it('exits 2 with a message naming the problem for bad input', async () => {
    const delivery = write('ok2.json', standardDelivery())
    const cases: [string[], RegExp][] = [
      [['verify', '--keyring', keyring()], /--delivery/],
      [['verify', '--delivery', delivery, '--keyring', write('bad-json.json', '{nope')], /not valid JSON/],
      [['verify', '--delivery', write('no-url.json', { headers: {}, body: '' }), '--keyring', keyring()], /url/],
      [['verify', '--delivery', delivery, '--keyring', write('unknown.json', { keys: [{ scheme: 'carrier-pigeon', secret: 'x' }] })], /unknown scheme/],
      [['verify', '--delivery', delivery, '--keyring', write('nosecret.json', { keys: [{ scheme: 'standard-webhooks' }] })], /keys\.0/],
      [['verify', '--delivery', delivery, '--keyring', keyring(), '--now', 'yesterday'], /--now/],
      [['verify', '--delivery', delivery, '--keyring', keyring(), '--bogus'], /bogus/]
    ]
    for (const [args, message] of cases) {
      const result = await runCli(args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr, args.join(' ')).toMatch(message)
    }
  })

  it('never prints the secret, even when the check fails', async () => {
    const result = await runCli(['verify', '--delivery', write('changed2.json', standardDelivery('{}')), '--keyring', keyring(), '--now', String(AT)])
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
  })
})

describe('hookscope listen with HOOKSCOPE_PASSPHRASE', () => {
  it('refuses a wrong passphrase with exit 1 and a sentence, leaving the keyring as it was', async () => {
    const data = makeTempDir()
    try {
      const { createEngine } = await import('../../electron/engine')
      const { silentLogger } = await import('../../electron/engine/logger')
      const engine = await createEngine(
        { dataDir: data.path, host: 'headless', version: 'test', passphrase: 'the right passphrase' },
        { clock: { now: () => Date.now() }, logger: silentLogger }
      )
      await engine.invoke('keys.create', { name: 'k', scheme: 'standard-webhooks', material: { secret: SECRET } })
      await engine.stop()

      const proc = spawnCli(['listen', '--port', '0', '--no-ui', '--data', data.path], {
        env: { ...process.env, HOOKSCOPE_PASSPHRASE: 'a wrong passphrase' }
      })
      const exit = await withTimeout(proc.exited, 15_000)
      expect(exit?.code).toBe(1)
      expect(proc.stderr()).toMatch(/wrong passphrase/)
      expect(proc.stderr() + proc.stdout()).not.toContain('a wrong passphrase')

      const again = await createEngine(
        { dataDir: data.path, host: 'headless', version: 'test', passphrase: 'the right passphrase' },
        { clock: { now: () => Date.now() }, logger: silentLogger }
      )
      expect(await again.invoke('keys.list', {})).toHaveLength(1)
      await again.stop()
    } finally {
      data.remove()
    }
  })
})
