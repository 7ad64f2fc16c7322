import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodeContent } from '../../../electron/engine/body/content-decoding'
import { contentCodings } from '../../../shared/lib/content-encoding'

const text = JSON.stringify({ type: 'invoice.paid', note: 'gzip, deflate and br bodies are shown decoded' }).repeat(50)
const plain = Buffer.from(text)
const MiB = 1024 * 1024

describe('contentCodings', () => {
  it('lists the codings of every Content-Encoding header, lowercased, identity left out', () => {
    expect(contentCodings([['Content-Type', 'application/json']])).toBeNull()
    expect(contentCodings([['Content-Encoding', 'identity']])).toBeNull()
    expect(
      contentCodings([
        ['content-encoding', 'GZIP, br'],
        ['X-Other', 'x']
      ])
    ).toEqual(['gzip', 'br'])
    expect(
      contentCodings([
        ['Content-Encoding', 'deflate'],
        ['CONTENT-ENCODING', ' x-gzip ']
      ])
    ).toEqual(['deflate', 'x-gzip'])
  })
})

describe('decodeContent', () => {
  it('undoes gzip, x-gzip, zlib deflate, raw deflate and brotli to the exact bytes', async () => {
    const cases: Array<[string, Buffer]> = [
      ['gzip', gzipSync(plain)],
      ['x-gzip', gzipSync(plain)],
      ['deflate', deflateSync(plain)],
      ['deflate', deflateRawSync(plain)],
      ['br', brotliCompressSync(plain)]
    ]
    for (const [coding, encoded] of cases) {
      const result = await decodeContent(encoded, [coding], MiB)
      expect(result, coding).toMatchObject({ ok: true, capped: false, incomplete: false })
      if (result.ok) expect(result.body.equals(plain), coding).toBe(true)
    }
  })

  it('undoes stacked codings last-applied first', async () => {
    const result = await decodeContent(brotliCompressSync(gzipSync(plain)), ['gzip', 'br'], MiB)
    expect(result.ok && result.body.toString()).toBe(text)
  })

  it('stops gzip, deflate and brotli bombs at the cap, keeping the first bytes', async () => {
    const zeros = Buffer.alloc(16 * MiB)
    for (const [coding, bomb] of [
      ['gzip', gzipSync(zeros)],
      ['deflate', deflateSync(zeros)],
      ['br', brotliCompressSync(zeros)]
    ] as const) {
      expect(bomb.length, coding).toBeLessThan(100 * 1024)
      const result = await decodeContent(bomb, [coding], 4 * MiB)
      expect(result, coding).toMatchObject({ ok: true, capped: true, incomplete: false })
      expect(result.ok && result.body.length, coding).toBe(4 * MiB)
    }
  })

  it('keeps what a truncated stream decodes to, and reports garbage and unknown codings as data', async () => {
    const noisy = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `line ${i} ${(i * 7919) % 10007}\n`).join(''))
    for (const [coding, encoded] of [
      ['gzip', gzipSync(noisy)],
      ['br', brotliCompressSync(noisy)]
    ] as const) {
      const cut = await decodeContent(encoded.subarray(0, Math.floor(encoded.length / 2)), [coding], 64 * MiB)
      expect(cut, coding).toMatchObject({ ok: true, incomplete: true })
      if (cut.ok) {
        expect(cut.body.length, coding).toBeGreaterThan(0)
        expect(noisy.subarray(0, cut.body.length).equals(cut.body), coding).toBe(true)
      }
    }
    expect(await decodeContent(Buffer.from('not gzip at all'), ['gzip'], MiB)).toMatchObject({ ok: false, codings: ['gzip'] })
    expect(await decodeContent(Buffer.from('not deflate'), ['deflate'], MiB)).toMatchObject({ ok: false })
    expect(await decodeContent(Buffer.from('not brotli'), ['br'], MiB)).toMatchObject({ ok: false })
    expect(await decodeContent(plain, ['zstd'], MiB)).toEqual({ ok: false, codings: ['zstd'], reason: 'zstd is not a coding Hookscope decodes' })
    expect(await decodeContent(plain, ['__proto__'], MiB)).toMatchObject({ ok: false })
  })
})
