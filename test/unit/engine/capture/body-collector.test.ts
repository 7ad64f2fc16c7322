import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { BodyCollector } from '../../../../electron/engine/capture/body-collector'

function collect(expected: number, pieces: Buffer[]): Buffer {
  const collector = new BodyCollector(expected)
  for (const piece of pieces) collector.add(piece)
  expect(collector.length).toBe(pieces.reduce((sum, piece) => sum + piece.length, 0))
  return collector.body()
}

const split = (bytes: Buffer, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size))

describe('BodyCollector', () => {
  it('gathers a declared large body into one buffer of its own, byte-exact (the worker can take it without a copy)', () => {
    const bytes = randomBytes(1024 * 1024 + 17)
    const body = collect(bytes.length, split(bytes, 65_536))
    expect(body.equals(bytes)).toBe(true)
    expect(body.byteOffset).toBe(0)
    expect(body.buffer.byteLength).toBe(bytes.length)
  })

  it('returns only the bytes that arrived when fewer came than declared', () => {
    const bytes = randomBytes(100_000)
    const body = collect(200_000, split(bytes, 30_000))
    expect(body.length).toBe(100_000)
    expect(body.equals(bytes)).toBe(true)
  })

  it('keeps every byte when more arrive than declared, and when nothing was declared', () => {
    const bytes = randomBytes(300_000)
    expect(collect(100_000, split(bytes, 65_536)).equals(bytes)).toBe(true)
    expect(collect(0, split(bytes, 65_536)).equals(bytes)).toBe(true)
  })

  it('hands back a small single chunk as it came', () => {
    const chunk = Buffer.from('{"type":"ping"}')
    expect(collect(chunk.length, [chunk])).toBe(chunk)
    expect(collect(0, []).length).toBe(0)
  })

  it('drops what it holds', () => {
    const collector = new BodyCollector(100_000)
    collector.add(randomBytes(70_000))
    collector.drop()
    expect(collector.length).toBe(0)
    expect(collector.body().length).toBe(0)
  })
})
