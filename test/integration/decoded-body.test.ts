import { brotliCompressSync, gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_DECODED_BODY_BYTES } from '../../shared/api/contract'
import { requestHead, sendToCapture } from '../helpers/capture-send'
import { makeTempDir } from '../helpers/temp-dir'
import { startTestEngine, type TestEngine } from '../helpers/test-engine'

let dir: ReturnType<typeof makeTempDir>
let hook: TestEngine | undefined

beforeEach(() => {
  dir = makeTempDir()
})
afterEach(async () => {
  await hook?.stop()
  hook = undefined
  dir.remove()
})

async function send(headers: Array<[string, string]>, body: Buffer): Promise<string> {
  return sendToCapture(hook!.port, requestHead(hook!.port, '/encoded', headers, body.length), body)
}

describe('deliveries.decodedBody', () => {
  it('undoes gzip and br of a captured delivery, says why for others, and caps a bomb', async () => {
    hook = await startTestEngine({ dataDir: dir.path, endpoint: { maxBodyBytes: 1024 * 1024 } })
    const json = Buffer.from(JSON.stringify({ type: 'invoice.paid', note: 'stored encoded, shown decoded' }))
    const gz = await send([['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']], gzipSync(json))
    const br = await send([['Content-Encoding', 'br']], brotliCompressSync(json))
    const plain = await send([], json)
    const zstd = await send([['Content-Encoding', 'zstd']], json)
    const bomb = await send([['Content-Encoding', 'gzip']], gzipSync(Buffer.alloc(MAX_DECODED_BODY_BYTES + 1024 * 1024)))

    for (const id of [gz, br]) {
      const decoded = await hook.client.invoke('deliveries.decodedBody', { id })
      expect(decoded).toMatchObject({ ok: true, capped: false, incomplete: false })
      expect(decoded.ok && Buffer.from(decoded.bodyBase64, 'base64').equals(json)).toBe(true)
    }
    // The stored body stays as received.
    expect(Buffer.from((await hook.client.invoke('deliveries.get', { id: gz })).bodyBase64, 'base64').equals(gzipSync(json))).toBe(true)

    expect(await hook.client.invoke('deliveries.decodedBody', { id: plain })).toEqual({ ok: false, codings: [], reason: 'the delivery has no Content-Encoding' })
    expect(await hook.client.invoke('deliveries.decodedBody', { id: zstd })).toMatchObject({ ok: false, codings: ['zstd'] })
    const capped = await hook.client.invoke('deliveries.decodedBody', { id: bomb })
    expect(capped).toMatchObject({ ok: true, capped: true })
    expect(capped.ok && Buffer.from(capped.bodyBase64, 'base64').length).toBe(MAX_DECODED_BODY_BYTES)
    await expect(hook.client.invoke('deliveries.decodedBody', { id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
