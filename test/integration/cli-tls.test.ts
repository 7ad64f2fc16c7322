import { spawn } from 'node:child_process'
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createSecureContext } from 'node:tls'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { NdjsonDelivery } from '../../electron/engine/export/delivery-export'
import { assertCliBuilt, CLI_BIN, type CliProcess, killAllCli, REPO_ROOT, spawnCli, withTimeout } from '../helpers/cli-process'
import { makeTempDir } from '../helpers/temp-dir'
import { run, runCurl } from '../helpers/tls-client'

/**
 * `hookscope listen --https/--mtls/--trust`, `ca export` and `cert client` as a user runs them:
 * real CLI processes on temp data folders, curl and openssl as the other side.
 */

const PASSPHRASE = 'cli-tls test passphrase'
const WITH_PASSPHRASE = { HOOKSCOPE_PASSPHRASE: PASSPHRASE }
/** Empty counts as unset in the CLI: overrides whatever the developer's environment holds. */
const WITHOUT_PASSPHRASE = { HOOKSCOPE_PASSPHRASE: '' }
const STEP_TIMEOUT_MS = 20_000
const TIME = String.raw`\d\d:\d\d:\d\d\.\d{3}`

const temps: ReturnType<typeof makeTempDir>[] = []

function tempDir(): string {
  const dir = makeTempDir('hookscope-cli-tls-')
  temps.push(dir)
  return dir.path
}

beforeAll(() => assertCliBuilt())

afterEach(async () => {
  await killAllCli()
  for (const dir of temps.splice(0)) dir.remove()
})

interface Finished {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** A short command with its own environment, to completion (SIGKILL and fail after the timeout). */
async function runWithEnv(args: string[], env: NodeJS.ProcessEnv, timeoutMs = STEP_TIMEOUT_MS): Promise<Finished> {
  const proc = spawnCli(args, { env })
  const exit = await withTimeout(proc.exited, timeoutMs)
  if (!exit) {
    await proc.kill()
    throw new Error(`hookscope ${args.join(' ')} did not finish within ${timeoutMs} ms\n${proc.stdout()}\n${proc.stderr()}`)
  }
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() }
}

/** Like runWithEnv, but stdout as bytes (cli-process decodes it as UTF-8, which would mangle DER). */
function runBinary(args: string[], env: NodeJS.ProcessEnv, timeoutMs = STEP_TIMEOUT_MS): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, XDG_CONFIG_HOME: join(tempDir(), 'xdg'), ...env }
    })
    const chunks: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`hookscope ${args.join(' ')} did not finish within ${timeoutMs} ms`))
    }, timeoutMs)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout: Buffer.concat(chunks), stderr })
    })
  })
}

interface TlsListen extends CliProcess {
  url: string
  port: number
  /** From the `CA: <path>  (...)` line. */
  caPath: string
}

/** `listen --port 0 --no-ui --data DIR ...extra` with the passphrase, once it has printed its URL and CA line. */
async function startTlsListen(dataDir: string, extra: string[], env: NodeJS.ProcessEnv = WITH_PASSPHRASE): Promise<TlsListen> {
  const proc = spawnCli(['listen', '--port', '0', '--no-ui', '--data', dataDir, ...extra], { env })
  const urlLine = await proc.waitForLine(/^Capture URL: /, STEP_TIMEOUT_MS)
  const match = /^Capture URL: (https:\/\/127\.0\.0\.1:(\d+)\/)$/.exec(urlLine)
  if (!match) throw new Error(`unexpected capture line: ${urlLine}`)
  const caLine = await proc.waitForLine(/^CA: /, STEP_TIMEOUT_MS)
  const ca = /^CA: (\S+)  \(trust it: curl --cacert \S+ https:\/\/127\.0\.0\.1:\d+\/\)$/.exec(caLine)
  if (!ca) throw new Error(`unexpected CA line: ${caLine}`)
  return Object.assign(proc, { url: match[1]!, port: Number(match[2]), caPath: ca[1]! })
}

/** curl; resolves with the HTTP status (0 when no response) and curl's exit code. */
async function curl(args: string[]): Promise<{ status: number; exitCode: number; stderr: string }> {
  const result = await runCurl(['--output', '/dev/null', '--write-out', '%{http_code}', ...args])
  return { status: Number(result.stdout || 0), exitCode: result.exitCode, stderr: result.stderr }
}

async function issueClient(dataDir: string, name: string, outDir: string, env: NodeJS.ProcessEnv = WITH_PASSPHRASE): Promise<Finished> {
  const result = await runWithEnv(['cert', 'client', '--name', name, '--out', outDir, '--data', dataDir], env)
  expect(result.stderr + result.stdout).not.toMatch(/unexpected failure/)
  return result
}

async function exportNdjson(dataDir: string): Promise<NdjsonDelivery[]> {
  const result = await runWithEnv(['export', '--data', dataDir, '--format', 'ndjson'], WITHOUT_PASSPHRASE)
  expect(result.code).toBe(0)
  return result.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as NdjsonDelivery)
}

/** A second CA and a client certificate it signed, made by openssl (not Hookscope). */
async function otherCa(dir: string): Promise<{ caPem: string; certPath: string; keyPath: string }> {
  const ok = async (args: string[]) => {
    const result = await run('openssl', args)
    if (result.exitCode !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`)
  }
  const at = (name: string) => join(dir, name)
  await ok(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=other-ca', '-days', '2', '-keyout', at('other-ca.key'), '-out', at('other-ca.pem')])
  await ok(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=other-sender', '-keyout', at('other-sender.key.pem'), '-out', at('other-sender.csr')])
  writeFileSync(at('client.ext'), 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n')
  await ok([
    'x509',
    '-req',
    '-in',
    at('other-sender.csr'),
    '-CA',
    at('other-ca.pem'),
    '-CAkey',
    at('other-ca.key'),
    '-set_serial',
    '0x4242',
    '-days',
    '2',
    '-extfile',
    at('client.ext'),
    '-out',
    at('other-sender.crt.pem')
  ])
  return { caPem: at('other-ca.pem'), certPath: at('other-sender.crt.pem'), keyPath: at('other-sender.key.pem') }
}

describe('hookscope cert client', () => {
  it('writes the certificate, a 0600 key, the CA and (with HOOKSCOPE_P12_PASSWORD) a .p12, and prints a curl line', async () => {
    const dataDir = tempDir()
    const outDir = join(tempDir(), 'not-yet', 'certs')
    const result = await issueClient(dataDir, 'acme-sender', outDir, { ...WITH_PASSPHRASE, HOOKSCOPE_P12_PASSWORD: 'p12-secret' })
    expect(result.stderr).not.toMatch(/^hookscope: /m)
    expect(result.code).toBe(0)

    const certPath = join(outDir, 'acme-sender.crt.pem')
    const keyPath = join(outDir, 'acme-sender.key.pem')
    const caPath = join(outDir, 'hookscope-ca.pem')
    const p12Path = join(outDir, 'acme-sender.p12')
    expect(statSync(keyPath).mode & 0o777).toBe(0o600)
    expect(statSync(p12Path).mode & 0o777).toBe(0o600)
    expect(statSync(certPath).mode & 0o077).toBe(0o044)

    const leaf = new X509Certificate(readFileSync(certPath))
    const ca = new X509Certificate(readFileSync(caPath))
    expect(leaf.subject).toContain('CN=acme-sender')
    expect(leaf.checkIssued(ca)).toBe(true)
    expect(leaf.verify(ca.publicKey)).toBe(true)
    expect(leaf.checkPrivateKey(createPrivateKey(readFileSync(keyPath)))).toBe(true)
    // The .p12 opens with the password (and only with it).
    expect(() => createSecureContext({ pfx: readFileSync(p12Path), passphrase: 'p12-secret' })).not.toThrow()
    expect(() => createSecureContext({ pfx: readFileSync(p12Path), passphrase: 'wrong' })).toThrow()

    expect(result.stdout).toContain(certPath)
    expect(result.stdout).toContain(keyPath)
    expect(result.stdout).toContain(`curl --cacert ${caPath} --cert ${certPath} --key ${keyPath} https://localhost:8080/`)
    // The keyring's passphrase never reaches the output.
    expect(result.stdout + result.stderr).not.toContain(PASSPHRASE)
  })

  it('needs HOOKSCOPE_PASSPHRASE, and says so (exit 1)', async () => {
    const dataDir = tempDir()
    const result = await issueClient(dataDir, 'x', join(tempDir(), 'out'), WITHOUT_PASSPHRASE)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^hookscope: cert client needs the keyring unlocked .*set HOOKSCOPE_PASSPHRASE/m)
  })

  it('works while listen holds the data folder, through the running engine: the certificate it issues is accepted at once', async () => {
    const dataDir = tempDir()
    const outDir = tempDir()
    const listen = await startTlsListen(dataDir, ['--mtls', 'require'])
    const result = await issueClient(dataDir, 'live', outDir)
    expect(result.code).toBe(0)
    // The port of the running endpoint, not the default one.
    expect(result.stdout).toContain(`https://localhost:${listen.port}/`)
    const good = await curl([
      '--cacert',
      join(outDir, 'hookscope-ca.pem'),
      '--cert',
      join(outDir, 'live.crt.pem'),
      '--key',
      join(outDir, 'live.key.pem'),
      '--data',
      '{}',
      `${listen.url}live`
    ])
    expect(good).toMatchObject({ status: 200, exitCode: 0 })
    expect((await listen.stop()).code).toBe(0)
  })
})

describe('hookscope listen --mtls require', () => {
  it('accepts curl with the issued client certificate, prints REJECTED for curl without one, and exports the TLS facts', async () => {
    const dataDir = tempDir()
    const certDir = tempDir()
    expect((await issueClient(dataDir, 'sender', certDir)).code).toBe(0)
    const cert = join(certDir, 'sender.crt.pem')
    const key = join(certDir, 'sender.key.pem')
    const cacert = join(certDir, 'hookscope-ca.pem')

    const listen = await startTlsListen(dataDir, ['--mtls', 'require'])
    await listen.waitForLine(/^Client certificates: required; trusted issuers: Hookscope Local CA [0-9a-f]{6}$/, STEP_TIMEOUT_MS)
    // The CA line's file is the same CA as the one cert client wrote.
    expect(readFileSync(listen.caPath, 'utf8')).toBe(readFileSync(cacert, 'utf8'))

    const good = await curl(['--cacert', cacert, '--cert', cert, '--key', key, '--data', '{"n":1}', `${listen.url}mtls-hook`])
    expect(good).toMatchObject({ status: 200, exitCode: 0 })
    await listen.waitForLine(new RegExp(`^${TIME}  POST /mtls-hook  7 B  200$`), STEP_TIMEOUT_MS)

    const bare = await curl(['--cacert', cacert, `${listen.url}no-cert`])
    expect(bare.status).toBe(0)
    expect(bare.exitCode).not.toBe(0)
    await listen.waitForLine(new RegExp(`^${TIME}  REJECTED 127\\.0\\.0\\.1:\\d+  no-certificate: the client sent no certificate$`), STEP_TIMEOUT_MS)
    expect(listen.lines.some((line) => line.includes('/no-cert'))).toBe(false)
    expect((await listen.stop()).code).toBe(0)

    const [delivery, ...others] = await exportNdjson(dataDir)
    expect(others).toEqual([])
    expect(delivery!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/mtls-hook$/)
    const leaf = new X509Certificate(readFileSync(cert))
    expect(delivery!.tls).toMatchObject({
      version: expect.stringMatching(/^TLSv1\.[23]$/),
      cipher: expect.stringMatching(/^TLS_/),
      sni: null,
      authorized: true,
      reason: 'ok',
      clientCert: {
        subject: 'CN=sender, O=Hookscope client',
        issuer: expect.stringMatching(/^CN=Hookscope Local CA [0-9a-f]{6}, O=Hookscope$/),
        serial: leaf.serialNumber.toUpperCase(),
        fingerprint256: leaf.fingerprint256,
        validFrom: Date.parse(leaf.validFrom),
        validTo: Date.parse(leaf.validTo),
        sans: []
      }
    })
  }, 60_000)

  it('--trust adds a second CA: its client is refused without the flag and accepted with it', async () => {
    const dataDir = tempDir()
    const other = await otherCa(tempDir())

    const without = await startTlsListen(dataDir, ['--mtls', 'require'])
    const refused = await curl(['--cacert', without.caPath, '--cert', other.certPath, '--key', other.keyPath, `${without.url}other`])
    expect(refused.status).toBe(0)
    await without.waitForLine(new RegExp(`^${TIME}  REJECTED 127\\.0\\.0\\.1:\\d+  unknown-issuer: .*CN=other-ca`), STEP_TIMEOUT_MS)
    expect((await without.stop()).code).toBe(0)

    const withTrust = await startTlsListen(dataDir, ['--mtls', 'require', '--trust', other.caPem])
    await withTrust.waitForLine(/^Client certificates: required; trusted issuers: Hookscope Local CA [0-9a-f]{6}, other-ca$/, STEP_TIMEOUT_MS)
    const accepted = await curl(['--cacert', withTrust.caPath, '--cert', other.certPath, '--key', other.keyPath, '--data', 'x', `${withTrust.url}other`])
    expect(accepted).toMatchObject({ status: 200, exitCode: 0 })
    await withTrust.waitForLine(new RegExp(`^${TIME}  POST /other  1 B  200$`), STEP_TIMEOUT_MS)
    // The local CA is still trusted alongside (--trust adds, it does not replace).
    expect((await withTrust.stop()).code).toBe(0)
    const certDir = tempDir()
    expect((await issueClient(dataDir, 'local', certDir)).code).toBe(0)
    const again = await startTlsListen(dataDir, ['--mtls', 'require', '--trust', other.caPem])
    const local = await curl([
      '--cacert',
      again.caPath,
      '--cert',
      join(certDir, 'local.crt.pem'),
      '--key',
      join(certDir, 'local.key.pem'),
      '--data',
      'y',
      `${again.url}local`
    ])
    expect(local.status).toBe(200)
    expect((await again.stop()).code).toBe(0)

    const deliveries = await exportNdjson(dataDir)
    expect(deliveries.map((d) => [d.tls?.clientCert?.subject, d.tls?.clientCert?.issuer])).toEqual([
      ['CN=other-sender', 'CN=other-ca'],
      ['CN=local, O=Hookscope client', expect.stringMatching(/^CN=Hookscope Local CA/)]
    ])
  }, 90_000)
})

describe('hookscope listen --https', () => {
  it('serves https with the CA it names, refuses TLS 1.1 with a REJECTED line, and plain listen goes back to http', async () => {
    const dataDir = tempDir()
    const listen = await startTlsListen(dataDir, ['--https', '--cert-host', 'hooks.example.test'])
    expect(listen.caPath).toBe(join(dataDir, 'hookscope-ca.pem'))

    const ok = await curl(['--cacert', listen.caPath, '--data', 'hi', `${listen.url}plain-tls`])
    expect(ok).toMatchObject({ status: 200, exitCode: 0 })
    // --cert-host: the certificate also covers that name (curl resolves it to 127.0.0.1 here).
    const named = await curl([
      '--cacert',
      listen.caPath,
      '--resolve',
      `hooks.example.test:${listen.port}:127.0.0.1`,
      `https://hooks.example.test:${listen.port}/named`
    ])
    expect(named).toMatchObject({ status: 200, exitCode: 0 })
    await listen.waitForLine(new RegExp(`^${TIME}  GET /named  0 B  200$`), STEP_TIMEOUT_MS)

    const old = await curl(['--cacert', listen.caPath, '--tls-max', '1.1', `${listen.url}old`])
    expect(old.status).toBe(0)
    await listen.waitForLine(
      new RegExp(`^${TIME}  REJECTED 127\\.0\\.0\\.1:\\d+  protocol-version: protocol version TLS 1\\.1 refused: TLS 1\\.2 minimum$`),
      STEP_TIMEOUT_MS
    )
    expect((await listen.stop()).code).toBe(0)

    const plain = spawnCli(['listen', '--port', '0', '--no-ui', '--data', dataDir], { env: WITHOUT_PASSPHRASE })
    await plain.waitForLine(/^Capture URL: http:\/\/127\.0\.0\.1:\d+\/$/, STEP_TIMEOUT_MS)
    expect(plain.lines.some((line) => line.startsWith('CA: '))).toBe(false)
    expect((await plain.stop()).code).toBe(0)
  }, 60_000)

  it('without HOOKSCOPE_PASSPHRASE exits 1 with a sentence naming it, and listens on nothing', async () => {
    const dataDir = tempDir()
    for (const flags of [['--https'], ['--mtls', 'request']]) {
      const result = await runWithEnv(['listen', '--port', '0', '--no-ui', '--data', dataDir, ...flags], WITHOUT_PASSPHRASE)
      expect(result.code).toBe(1)
      expect(result.stdout).not.toContain('Capture URL')
      expect(result.stderr).toMatch(
        /^hookscope: listen (--https|--mtls request) needs the keyring unlocked \(private keys are stored sealed\): set HOOKSCOPE_PASSPHRASE/m
      )
    }
  })
})

describe('hookscope ca export', () => {
  it('--format der writes X.509 DER to stdout, the same CA as pem; an existing CA exports without the passphrase', async () => {
    const dataDir = tempDir()
    // First use creates the CA: needs the passphrase.
    const pem = await runWithEnv(['ca', 'export', '--data', dataDir, '--format', 'pem'], WITH_PASSPHRASE)
    expect(pem.code).toBe(0)
    const fromPem = new X509Certificate(pem.stdout)

    const der = await runBinary(['ca', 'export', '--data', dataDir, '--format', 'der'], WITHOUT_PASSPHRASE)
    expect(der.stderr).toBe('')
    expect(der.code).toBe(0)
    expect(der.stdout[0]).toBe(0x30) // a DER SEQUENCE, not PEM text
    const cert = new X509Certificate(der.stdout)
    expect(cert.ca).toBe(true)
    expect(cert.subject).toMatch(/CN=Hookscope Local CA [0-9a-f]{6}/)
    expect(cert.fingerprint256).toBe(fromPem.fingerprint256)
  })

  it('--out FILE writes the PEM and prints how to trust that file on stderr', async () => {
    const dataDir = tempDir()
    const out = join(tempDir(), 'ca.pem')
    const result = await runWithEnv(['ca', 'export', '--data', dataDir, '--out', out], WITH_PASSPHRASE)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('')
    expect(new X509Certificate(readFileSync(out)).ca).toBe(true)
    expect(result.stderr).toContain(`curl --cacert "${out}" https://localhost:PORT/`)
  })

  it('with no CA yet and no HOOKSCOPE_PASSPHRASE exits 1 naming it, creating nothing', async () => {
    const dataDir = join(tempDir(), 'fresh')
    const result = await runWithEnv(['ca', 'export', '--data', dataDir], WITHOUT_PASSPHRASE)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^hookscope: there is no local CA in .* yet; creating it needs the keyring unlocked .*set HOOKSCOPE_PASSPHRASE/m)
    expect(existsSync(dataDir)).toBe(false)
  })
})

describe('bad flag combinations exit 2 with a message', () => {
  it.each([
    [['listen', '--trust', 'ca.pem'], /--trust needs --mtls request\|require/],
    [['listen', '--https', '--trust', 'ca.pem'], /--trust needs --mtls/],
    [['listen', '--cert-host', 'hooks.test'], /--cert-host needs --https or --mtls/],
    [['listen', '--mtls', 'maybe'], /--mtls must be request or require, not "maybe"/],
    [['listen', '--mtls'], /Option '--mtls' argument is ambiguous|argument missing/],
    [['listen', '--https=yes'], /--https' does not take an argument/],
    [['listen', '--https', '--cert-host', 'bad host!'], /--cert-host must be a host name or IP address, not "bad host!"/],
    [['ca'], /missing subcommand: hookscope ca export/],
    [['cert'], /missing subcommand: hookscope cert client/],
    [['ca', 'import'], /unknown subcommand "ca import"/],
    [['ca', 'export', '--format', 'p12'], /--format must be pem or der, not "p12"/],
    [['cert', 'client', '--out', 'x'], /--name is required/],
    [['cert', 'client', '--name', 'x'], /--out is required/],
    [['cert', 'client', '--name', 'a/b', '--out', 'x'], /--name must be 1 to 64 letters/],
    [['cert', 'server'], /unknown subcommand "cert server"/]
  ])('hookscope %j', async (args, message) => {
    const dataDir = join(tempDir(), 'never-created')
    const result = await runWithEnv([...args, '--data', dataDir], WITH_PASSPHRASE)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).toContain('Usage:')
    expect(result.code).toBe(2)
    expect(existsSync(dataDir)).toBe(false)
  })

  it('names an unreadable --trust file, and one that holds no PEM certificate', async () => {
    const dir = tempDir()
    const missing = join(dir, 'missing.pem')
    const first = await runWithEnv(['listen', '--mtls', 'require', '--trust', missing, '--data', join(dir, 'data')], WITH_PASSPHRASE)
    expect(first.code).toBe(2)
    expect(first.stderr).toContain(`--trust ${missing}: cannot read it (ENOENT)`)

    const notPem = join(dir, 'not.pem')
    writeFileSync(notPem, 'hello')
    const second = await runWithEnv(['listen', '--mtls', 'require', '--trust', notPem, '--data', join(dir, 'data')], WITH_PASSPHRASE)
    expect(second.code).toBe(2)
    expect(second.stderr).toContain(`--trust ${notPem}: no PEM certificate`)
    expect(existsSync(join(dir, 'data'))).toBe(false)
  })

  it('refuses a --trust file that is a leaf certificate, not a CA (exit 2, before listening)', async () => {
    const dataDir = tempDir()
    const certDir = tempDir()
    expect((await issueClient(dataDir, 'leaf', certDir)).code).toBe(0)
    const leafOnly = join(certDir, 'leaf-only.pem')
    writeFileSync(leafOnly, new X509Certificate(readFileSync(join(certDir, 'leaf.crt.pem'))).toString())
    const result = await runWithEnv(['listen', '--port', '0', '--no-ui', '--mtls', 'require', '--trust', leafOnly, '--data', dataDir], WITH_PASSPHRASE)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(new RegExp(`--trust ${leafOnly}: certificate 1 \\(CN=leaf, O=Hookscope client\\) is not a CA certificate`))
    expect(result.stdout).not.toContain('Capture URL')
  })
})
