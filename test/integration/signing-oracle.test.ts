import { createHash, createHmac } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { systemClock } from '../../electron/engine/clock'
import { createLocalClient } from '../../electron/engine/local-client'
import { silentLogger } from '../../electron/engine/logger'
import { engineEachTest } from '../helpers/test-engine'

/**
 * Issue 10 #1: any local user could post a chosen body with a dummy signature to the loopback
 * capture port, then read a valid signature under the real key from the store (the verdict kept the
 * expected signature, and the files were world-readable). Both halves are checked here against the
 * bytes on disk, WAL included.
 */
const PASSPHRASE = 'correct horse battery staple'
const GITHUB_SECRET = 'gh-webhook-secret-for-oracle-test'
const HUBSPOT_SECRET = 'hubspot-client-secret-0123456789'
const FEISHU_KEY = 'feishu encrypt key for the oracle test'

const engines = engineEachTest()

async function post(url: string, headers: Record<string, string>, body: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  expect(res.status).toBe(200)
  return ((await res.json()) as { id: string }).id
}

/** Every file of the data folder, concatenated: what another local user could read. */
function storedBytes(dataDir: string): Buffer {
  return Buffer.concat(readdirSync(dataDir).map((name) => readFileSync(join(dataDir, name))))
}

function mode(path: string): number {
  return statSync(path).mode & 0o777
}

describe('the verdict is no signing oracle', () => {
  it('stores only a short prefix of the expected signature; the whole value comes from the API while the keyring is unlocked', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.client.invoke('keys.create', { name: 'GitHub', scheme: 'github', material: { secret: GITHUB_SECRET } })
    await hook.client.invoke('keys.create', { name: 'HubSpot v1', scheme: 'hubspot', material: { secret: HUBSPOT_SECRET }, options: { version: 'v1' } })
    await hook.client.invoke('keys.create', { name: 'Feishu', scheme: 'feishu', material: { secret: FEISHU_KEY } })

    // Chosen bodies, dummy signatures: what an attacker would send to get a signature computed.
    const githubBody = '{"action":"attacker-chosen","n":1}'
    const githubExpected = createHmac('sha256', GITHUB_SECRET).update(githubBody).digest('hex')
    const github = await post(hook.url, { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` }, githubBody)

    const hubspotBody = '[{"eventId":1,"attacker":"chosen"}]'
    const hubspotExpected = createHash('sha256')
      .update(HUBSPOT_SECRET + hubspotBody)
      .digest('hex')
    const hubspot = await post(hook.url, { 'X-HubSpot-Signature': '1'.repeat(64), 'X-HubSpot-Signature-Version': 'v1' }, hubspotBody)

    const feishuBody = '{"encrypt":"attacker-chosen"}'
    const timestamp = String(Math.floor(Date.now() / 1000))
    const feishuExpected = createHash('sha256')
      .update(timestamp + 'nonce-1' + FEISHU_KEY + feishuBody)
      .digest('hex')
    const feishu = await post(
      hook.url,
      { 'X-Lark-Signature': '2'.repeat(64), 'X-Lark-Request-Timestamp': timestamp, 'X-Lark-Request-Nonce': 'nonce-1' },
      feishuBody
    )

    const cases = [
      { id: github, expected: githubExpected },
      { id: hubspot, expected: hubspotExpected },
      { id: feishu, expected: feishuExpected }
    ]
    for (const { id, expected } of cases) {
      const { verdictDetail } = await hook.client.invoke('deliveries.get', { id })
      expect(verdictDetail).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH' })
      // Enough to compare by eye, and no more.
      expect(verdictDetail!.expectedPrefix).toBe(expected.slice(0, 8))
      expect(verdictDetail).not.toHaveProperty('expected')
      // Re-verifying stores a fresh verdict: still only the prefix.
      expect(await hook.client.invoke('deliveries.verify', { id })).not.toHaveProperty('expected')
      // The whole value, on request.
      expect(await hook.client.invoke('deliveries.expectedSignature', { id })).toMatchObject({ expected })
    }

    // Nothing on disk (database, WAL, shared memory) holds a whole expected signature.
    expect(existsSync(join(engines.dir, 'hookscope.db-wal'))).toBe(true)
    const bytes = storedBytes(engines.dir)
    for (const { expected } of cases) {
      expect(bytes.includes(expected)).toBe(false)
      expect(bytes.includes(Buffer.from(expected, 'hex').toString('base64'))).toBe(false)
      expect(bytes.includes(expected.slice(0, 8))).toBe(true) // the test looks at the right bytes
    }
    await hook.stop()
    const closed = storedBytes(engines.dir)
    for (const { expected } of cases) expect(closed.includes(expected)).toBe(false)

    // Reopened without the passphrase: the keyring is locked and the API refuses.
    const engine = await createEngine({ dataDir: engines.dir, host: 'headless', version: 'test' }, { clock: systemClock, logger: silentLogger })
    try {
      await expect(createLocalClient(engine).invoke('deliveries.expectedSignature', { id: github })).rejects.toMatchObject({ code: 'VAULT_LOCKED' })
    } finally {
      await engine.stop()
    }
  })

  it('answers null for a verdict without a computed signature (no key)', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    const id = await post(hook.url, { 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` }, '{}')
    expect(await hook.client.invoke('deliveries.expectedSignature', { id })).toMatchObject({ expected: null })
  })
})

describe('data folder modes', () => {
  it('creates the folder 0700 and every file in it 0600', async () => {
    const dataDir = join(engines.dir, 'fresh', 'data')
    const hook = await engines.start({ dataDir, passphrase: PASSPHRASE })
    await post(hook.url, {}, '{"hello":"world"}')
    expect(mode(dataDir)).toBe(0o700)
    const names = readdirSync(dataDir)
    expect(names).toEqual(expect.arrayContaining(['hookscope.db', 'hookscope.db-wal', 'hookscope.db-shm', 'hookscope.lock']))
    for (const name of names) expect({ name, mode: mode(join(dataDir, name)) }).toEqual({ name, mode: 0o600 })
  })

  it('tightens an existing folder and its files at open, and says so once', async () => {
    const dataDir = join(engines.dir, 'old')
    mkdirSync(dataDir, { mode: 0o755 })
    chmodSync(dataDir, 0o755)
    const first = await engines.start({ dataDir, passphrase: PASSPHRASE })
    await post(first.url, {}, '{"n":1}')
    await first.stop()
    // As an older Hookscope left it: world-readable folder and files.
    writeFileSync(join(dataDir, 'hookscope-ca.pem'), 'public, but still ours\n', { mode: 0o644 })
    chmodSync(dataDir, 0o755)
    for (const name of readdirSync(dataDir)) chmodSync(join(dataDir, name), 0o644)

    const lines: string[] = []
    const logger = { ...silentLogger, warn: (message: string, fields?: Record<string, unknown>) => lines.push(`${message} ${JSON.stringify(fields)}`) }
    const engine = await createEngine({ dataDir, host: 'headless', version: 'test' }, { clock: systemClock, logger })
    try {
      expect(mode(dataDir)).toBe(0o700)
      for (const name of readdirSync(dataDir)) expect({ name, mode: mode(join(dataDir, name)) }).toEqual({ name, mode: 0o600 })
      const said = lines.filter((line) => line.includes('permissions'))
      expect(said).toHaveLength(1)
      expect(said[0]).toContain(dataDir)
    } finally {
      await engine.stop()
    }
    // Already tight: nothing more to say.
    lines.length = 0
    const again = await createEngine({ dataDir, host: 'headless', version: 'test' }, { clock: systemClock, logger })
    await again.stop()
    expect(lines.filter((line) => line.includes('permissions'))).toEqual([])
  })
})

describe('verdicts stored by an older Hookscope', () => {
  it('are cut down to the prefix when the store is opened, and the old bytes are gone from the files', async () => {
    const { default: Database } = await import('better-sqlite3')
    const { migrations } = await import('../../electron/engine/store/migrations')
    const { openDatabase } = await import('../../electron/engine/store/open-database')
    const whole = createHmac('sha256', GITHUB_SECRET).update('{"old":"verdict"}').digest('hex')
    // A store as version 3 left it: the verdict holds the whole expected signature.
    const old = new Database(join(engines.dir, 'hookscope.db'))
    old.pragma('journal_mode = WAL')
    for (let version = 0; version < 3; version++) old.exec(migrations[version]!)
    old.pragma('user_version = 3')
    old
      .prepare(
        `INSERT INTO deliveries (id, endpoint_id, received_at, duration_ms, method, url, http_version, raw_headers, body, body_size,
        body_is_text, truncated, response_status, remote_address, remote_port, verdict_status, verdict_scheme, verdict_code, verdict)
       VALUES ('d1', 'default', 1, 0, 'POST', '/', '1.1', '[]', X'7B7D', 2, 1, 0, 200, '127.0.0.1', 1, 'invalid', 'github', 'SIG_MISMATCH', ?)`
      )
      .run(
        JSON.stringify({
          status: 'invalid',
          scheme: 'github',
          keyId: 'k',
          code: 'SIG_MISMATCH',
          summary: 's',
          steps: [],
          findings: [],
          expected: whole,
          received: ['0'],
          checkedAt: 1
        })
      )
    old.close()
    expect(storedBytes(engines.dir).includes(whole)).toBe(true)

    const db = openDatabase(engines.dir)
    const verdict = JSON.parse((db.prepare(`SELECT verdict FROM deliveries WHERE id = 'd1'`).get() as { verdict: string }).verdict)
    expect(verdict).toMatchObject({ expectedPrefix: whole.slice(0, 8), received: ['0'] })
    expect(verdict).not.toHaveProperty('expected')
    expect(storedBytes(engines.dir).includes(whole)).toBe(false)
    db.close()
    expect(storedBytes(engines.dir).includes(whole)).toBe(false)
  })
})
