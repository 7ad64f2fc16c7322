import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCurlCommand } from '../../../shared/lib/curl-command'
import type { RawHeader } from '../../../shared/model/delivery'

/**
 * Round trip through the real curl: a request is sent raw (exact bytes) to a local server, the
 * command is built from what the server saw (as the engine would capture it), run by a shell, and
 * what the server sees the second time must be identical: method, target, header lines, body bytes.
 */

interface Seen {
  method: string
  url: string
  headers: RawHeader[]
  body: Buffer
}

let server: Server
let port = 0
const waiting: Array<(seen: Seen) => void> = []

function pairs(raw: string[]): RawHeader[] {
  const out: RawHeader[] = []
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!])
  return out
}

function nextRequest(): Promise<Seen> {
  return new Promise((resolve) => waiting.push(resolve))
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      res.end('ok')
      waiting.shift()?.({ method: req.method!, url: req.url!, headers: pairs(req.rawHeaders), body: Buffer.concat(chunks) })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

/** Writes the request bytes exactly as given (header text as latin1, so any byte is possible). */
async function sendRaw(head: string, body: Buffer = Buffer.alloc(0)): Promise<Seen> {
  const seen = nextRequest()
  const socket = connect(port, '127.0.0.1')
  socket.on('data', () => socket.end())
  socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]))
  return seen
}

async function replayWithCurl(original: Seen, shell = 'bash', bodyFile?: string): Promise<{ seen: Seen; command: string }> {
  const url = `http://127.0.0.1:${port}${original.url}`
  const command = buildCurlCommand({ method: original.method, url, headers: original.headers, body: original.body, bodyFile })
  const seen = nextRequest()
  await runScript(shell, `${command} -sS -o /dev/null\n`)
  return { seen: await seen, command }
}

/** Feeds the script on stdin, like a paste into a terminal (and no argv size limit in the way). */
function runScript(shell: string, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ['-s'], { stdio: ['pipe', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${shell} exited ${code}: ${stderr}`))))
    child.stdin.end(script)
  })
}

function expectSame(replayed: Seen, original: Seen): void {
  expect(replayed.method).toBe(original.method)
  expect(replayed.url).toBe(original.url)
  expect(replayed.headers).toEqual(original.headers)
  expect(replayed.body.equals(original.body)).toBe(true)
}

const host = (): string => `Host: 127.0.0.1:${port}\r\n`

describe('buildCurlCommand round trip through curl', () => {
  it('reproduces a text body full of shell metacharacters and headers in order, case and duplicates', async () => {
    const body = Buffer.from(
      `{"q":"it's \\"quoted\\" $HOME \`id\` $(touch /tmp/hookscope-pwned) \\\\ back\\\\slash","bang":"!! !$",\n"é":"😀 ✓",\t"pct":"%s %d %%"}\n`
    )
    const utf8Header = Buffer.from('café ✓', 'utf8').toString('latin1')
    const original = await sendRaw(
      `POST /hooks/github?x=1&y=%20z HTTP/1.1\r\n${host()}User-Agent: GitHub-Hookshot/abc\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nX-B: 2\r\nx-a: 1\r\nX-Dup: one\r\nX-Dup: two\r\nX-Empty:\r\nX-Utf8: ${utf8Header}\r\nAccept: */*\r\n\r\n`,
      body
    )
    expect(original.headers.map(([name]) => name)).toContain('X-Empty')
    const { seen, command } = await replayWithCurl(original)
    expectSame(seen, original)
    expect(command).toContain("--data-binary '{")
    expect(command).not.toContain('printf')
  })

  it('reproduces every byte value through printf, also under POSIX sh (dash)', async () => {
    const body = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256).concat([0x25, 0x5c, 0x27, 0x0d, 0x0a]))
    const original = await sendRaw(`PUT /upload/[a]{b}/x?y=1 HTTP/1.1\r\n${host()}Content-Length: ${body.length}\r\nX-Kind: binary\r\n\r\n`, body)
    for (const shell of ['bash', 'sh']) {
      const { seen, command } = await replayWithCurl(original, shell)
      expectSame(seen, original)
      expect(command.startsWith("printf '")).toBe(true)
      expect(command).toContain('--globoff')
      expect(/^[\x20-\x7e\n]*$/.test(command)).toBe(true)
    }
  })

  it('keeps chunked transfer encoding and a CRLF body', async () => {
    const text = 'line one\r\nline two\r\n'
    const chunked = `${text.length.toString(16)}\r\n${text}\r\n0\r\n\r\n`
    const original = await sendRaw(`POST /chunked HTTP/1.1\r\n${host()}Transfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n`, Buffer.from(chunked))
    expect(original.body.toString()).toBe(text)
    const { seen } = await replayWithCurl(original)
    expectSame(seen, original)
  })

  it('never lets a body starting with @ become a file read', async () => {
    const body = Buffer.from('@/etc/passwd')
    const original = await sendRaw(`POST / HTTP/1.1\r\n${host()}Content-Length: ${body.length}\r\n\r\n`, body)
    const { seen } = await replayWithCurl(original)
    expectSame(seen, original)
  })

  it('sends a text body larger than one argv string may be', async () => {
    const body = Buffer.from(`{"data":"${'x'.repeat(300_000)}"}`)
    const original = await sendRaw(
      `POST /big HTTP/1.1\r\n${host()}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
      body
    )
    const { seen, command } = await replayWithCurl(original)
    expectSame(seen, original)
    expect(command.startsWith("printf '%s' '")).toBe(true)
  })

  it('reads a big body from a file with --data-binary @file, byte for byte', async () => {
    const body = Buffer.concat([Buffer.from('{"blob":"'), Buffer.alloc(200_000, 0x61), Buffer.from([0, 0xff, 0x0d, 0x0a]), Buffer.from('"}')])
    const original = await sendRaw(`POST /file HTTP/1.1\r\n${host()}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`, body)
    const dir = mkdtempSync(join(tmpdir(), 'hookscope-curl-'))
    try {
      const file = join(dir, "delivery body's.bin")
      writeFileSync(file, original.body)
      const { seen, command } = await replayWithCurl(original, 'bash', file)
      expectSame(seen, original)
      expect(command).toContain(`--data-binary @'${dir}/delivery body'\\''s.bin'`)
      expect(command).not.toContain('printf')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('handles GET with dot segments, HEAD, and a header byte that is not UTF-8', async () => {
    const get = await sendRaw(`GET /a/./b/../c?d=%2e%2e HTTP/1.1\r\n${host()}X-Latin1: caf\xe9\r\n\r\n`)
    expect(get.headers).toContainEqual(['X-Latin1', 'caf\xe9'])
    const replayedGet = await replayWithCurl(get)
    expectSame(replayedGet.seen, get)
    expect(replayedGet.command).toContain('--path-as-is')
    expect(replayedGet.command).toContain("$'X-Latin1: caf\\xe9'")

    const head = await sendRaw(`HEAD /status HTTP/1.1\r\n${host()}Accept: */*\r\n\r\n`)
    expectSame((await replayWithCurl(head)).seen, head)
  })
})

describe('buildCurlCommand details', () => {
  it('sends the stored length when the body was truncated', () => {
    const command = buildCurlCommand({
      method: 'POST',
      url: 'http://127.0.0.1:1/',
      headers: [['Content-Length', '1000']],
      body: new TextEncoder().encode('abc')
    })
    expect(command).toContain("-H 'Content-Length: 3'")
    expect(command).not.toContain('1000')
  })

  it('names the CA, and for mTLS the client certificate and key, for an https URL', () => {
    const https = buildCurlCommand({ method: 'GET', url: 'https://localhost:8443/', headers: [], body: new Uint8Array(0), tls: { caFile: 'hookscope-ca.pem' } })
    expect(https).toContain('--cacert hookscope-ca.pem')
    expect(https).not.toContain('--cert ')
    const mtls = buildCurlCommand({
      method: 'GET',
      url: 'https://localhost:8443/',
      headers: [],
      body: new Uint8Array(0),
      tls: { caFile: 'hookscope-ca.pem', client: { certFile: 'acme sender.crt.pem', keyFile: 'acme sender.key.pem' } }
    })
    expect(mtls).toContain("--cacert hookscope-ca.pem \\\n  --cert 'acme sender.crt.pem' --key 'acme sender.key.pem'")
  })

  it('leaves out header lines curl cannot send', () => {
    const command = buildCurlCommand({
      method: 'GET',
      url: 'http://h/',
      headers: [
        ['X-Ok', 'a'],
        ['X-Bad', 'a\r\nInjected: 1'],
        ['bad name', 'x']
      ],
      body: new Uint8Array(0)
    })
    expect(command).toContain("-H 'X-Ok: a'")
    expect(command).not.toContain('Injected')
    expect(command).not.toContain('bad name')
  })
})
