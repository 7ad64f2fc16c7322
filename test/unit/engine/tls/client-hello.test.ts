import { type AddressInfo, createServer, type Server } from 'node:net'
import { connect, type SecureVersion } from 'node:tls'
import { afterEach, describe, expect, it } from 'vitest'
import { humanTlsVersion, parseClientHello } from '../../../../electron/engine/tls/client-hello'

let server: Server | undefined
afterEach(() => {
  server?.close()
  server = undefined
})

/** The first bytes a real Node TLS client sends, captured by a plain TCP server. */
async function captureHello(options: {
  servername?: string
  ALPNProtocols?: string[]
  minVersion?: SecureVersion
  maxVersion?: SecureVersion
}): Promise<Buffer> {
  const captured = new Promise<Buffer>((resolve, reject) => {
    server = createServer((socket) => {
      const chunks: Buffer[] = []
      const timer = setTimeout(() => reject(new Error('no ClientHello within 5 s')), 5_000)
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        const all = Buffer.concat(chunks)
        if (all.length >= 5 && all.length >= 5 + all.readUInt16BE(3)) {
          clearTimeout(timer)
          resolve(all)
          socket.destroy()
        }
      })
      socket.on('error', () => {})
    })
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const client = connect({ host: '127.0.0.1', port: (server!.address() as AddressInfo).port, rejectUnauthorized: false, ...options })
  client.on('error', () => {})
  try {
    return await captured
  } finally {
    client.destroy()
  }
}

describe('parseClientHello', () => {
  it('reads versions, SNI and ALPN from a TLS 1.3 ClientHello', async () => {
    const hello = parseClientHello(await captureHello({ servername: 'hooks.example.test', ALPNProtocols: ['h2', 'http/1.1'] }))
    expect(hello).toEqual({ maxVersion: 'TLSv1.3', versions: ['TLSv1.3', 'TLSv1.2'], sni: 'hooks.example.test', alpn: ['h2', 'http/1.1'] })
  })

  it('reads a TLS 1.1-only ClientHello (no supported_versions extension)', async () => {
    const hello = parseClientHello(await captureHello({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1' }))
    expect(hello).toMatchObject({ maxVersion: 'TLSv1.1', sni: null, alpn: [] })
  })

  it('returns null for non-TLS bytes and keeps what it read from a truncated hello', async () => {
    expect(parseClientHello(Buffer.from('POST /hook HTTP/1.1\r\n'))).toBeNull()
    expect(parseClientHello(Buffer.alloc(3))).toBeNull()
    const full = await captureHello({ servername: 'x.test' })
    const truncated = parseClientHello(full.subarray(0, 60))
    expect(truncated).toMatchObject({ maxVersion: 'TLSv1.2', versions: ['TLSv1.2'], sni: null })
    for (let cut = 0; cut < full.length; cut += 7) expect(() => parseClientHello(full.subarray(0, cut))).not.toThrow()
  })

  it('names versions for people', () => {
    expect(['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'SSLv3'].map(humanTlsVersion)).toEqual(['TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3', 'SSL 3.0'])
  })
})
