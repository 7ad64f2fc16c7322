import { describe, expect, it } from 'vitest'
import { createBodyFormatter } from '../../../renderer/src/features/inspector/body-formatter'
import { type BodyTask, type BodyTaskKind, decodeStoredBody, runBodyTask, transferables } from '../../../renderer/src/features/inspector/body-tasks'
import type { BodyWorkerRequest } from '../../../renderer/src/features/inspector/body-worker'
import { sniffImage } from '../../../renderer/src/features/inspector/image-sniff'
import { hasInvisibles, MAX_MARKERS, revealInvisibles } from '../../../renderer/src/lib/invisible-chars'
import { createViewFailureLog } from '../../../renderer/src/lib/view-failure-log'
import { encodeBase64 } from '../../../shared/lib/base64'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const task = <K extends BodyTaskKind>(kind: K, body: Uint8Array, contentType: string | null = null) =>
  ({ kind, bytes: body, contentType, truncated: false }) as BodyTask & { kind: K }

describe('revealInvisibles', () => {
  it('turns bidi controls into markers, so "\\u202Eevil.exe\\u202C" cannot read as "exe.live"', () => {
    expect(revealInvisibles('\u202Eevil.exe\u202C')).toEqual([
      { marker: 'RLO', name: 'U+202E RIGHT-TO-LEFT OVERRIDE', code: 0x202e },
      'evil.exe',
      { marker: 'PDF', name: 'U+202C POP DIRECTIONAL FORMATTING', code: 0x202c }
    ])
  })

  it('marks zero-width, control, tag and lone-surrogate characters, and leaves text, tabs and emoji alone', () => {
    const markers = (text: string) => revealInvisibles(text).flatMap((piece) => (typeof piece === 'string' ? [] : [piece.marker]))
    expect(markers('a\u200Bb\u200Dc\uFEFF\u0000\u0007\u2066\u2069')).toEqual(['ZWSP', 'ZWJ', 'BOM', 'NUL', 'U+0007', 'LRI', 'PDI'])
    expect(markers('x\uDB40\uDC41y')).toEqual(['TAG'])
    expect(markers('lone \uD800 and \uDC00')).toEqual(['LONE', 'LONE'])
    expect(hasInvisibles('tab\there, line\nend, café, 😀, עברית')).toBe(false)
    expect(revealInvisibles('plain')).toEqual(['plain'])
  })
})

describe('revealInvisibles, past its marker budget', () => {
  it('draws at most maxMarkers markers per piece and shows the rest as pictures, never as the characters', () => {
    const pieces = revealInvisibles('\u0000'.repeat(100) + 'x\u202Ey\u007f', 64)
    expect(pieces.filter((piece) => typeof piece !== 'string')).toHaveLength(64)
    expect(pieces.at(-1)).toBe('\u2400'.repeat(36) + 'x\u2370y\u2421')
    expect(revealInvisibles('a\u0000'.repeat(10_000)).length).toBeLessThanOrEqual(2 * MAX_MARKERS + 1)
  })
})

describe('runBodyTask', () => {
  it('cuts input past the budget and says so', () => {
    const big = new Uint8Array(33 * 1024 * 1024).fill(0x61)
    const result = runBodyTask(task('lines', big), () => 0)
    expect(result.inputCutoff).toEqual({ limit: 'input', at: 32 * 1024 * 1024, unit: 'bytes' })
    expect(result.output.text.length).toBe(32 * 1024 * 1024)
  })

  it('formats the 5 MiB JSON of issue 12 as XML without a RangeError: it is not XML', () => {
    const items = Array.from({ length: 60_000 }, (_, i) => ({ id: `item-${i}`, qty: i, tags: ['a', 'b'], note: 'line & more <x>' }))
    const result = runBodyTask(task('xml', utf8(JSON.stringify({ items }, null, 1))), () => 0)
    expect(result.output.notXml).toBe("the body does not start with '<'")
  })

  it('hands typed arrays over to the page', () => {
    const result = runBodyTask(task('json', utf8('{"a":[1,2]}')), () => 0)
    expect(result.output.ok).toBe(true)
    expect(transferables(result)).toHaveLength(9)
  })

  it('decodes text in the declared charset', () => {
    const latin1 = Uint8Array.of(0x63, 0x61, 0x66, 0xe9)
    expect(runBodyTask(task('lines', latin1, 'text/plain; charset=iso-8859-1'), () => 0).output.text).toBe('café')
  })
})

describe('createBodyFormatter', () => {
  it('formats small bodies at once and keeps results per body', () => {
    const formatter = createBodyFormatter({ createWorker: null, clock: () => 0 })
    const bytes = utf8('<a><b/></a>')
    const first = formatter.formatNow(task('xml', bytes))
    expect(first?.output.notXml).toBeNull()
    expect(formatter.formatNow(task('xml', bytes))).toBe(first)
    expect(formatter.formatNow(task('xml', utf8('<a><b/></a>')))).not.toBe(first)
  })

  it('sends big bodies to the worker, one at a time, and stops the worker when a running task is cancelled', async () => {
    const { workers, formatter } = withFakeWorkers()
    const big = new Uint8Array(300 * 1024).fill(0x61)
    expect(formatter.formatNow(task('lines', big))).toBeNull()

    const first = new AbortController()
    const cancelled = formatter.format(task('lines', big), first.signal)
    const second = formatter.format(task('xml', big), new AbortController().signal)
    expect(workers).toHaveLength(1)
    expect(workers[0]!.received.map((r) => r.work.op === 'format' && r.work.task.kind)).toEqual(['lines'])

    first.abort()
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' })
    expect(workers[0]!.terminated).toBe(true)
    // The queued task goes to a fresh worker, and its answer resolves it.
    expect(workers).toHaveLength(2)
    const request = workers[1]!.received[0]!
    if (request.work.op !== 'format') throw new Error('expected a format job')
    expect(request.work.task.kind).toBe('xml')
    workers[1]!.answer({ id: request.id, ok: true, result: runBodyTask(request.work.task, () => 0) })
    expect((await second).kind).toBe('xml')
    // Cached: no second trip.
    expect(formatter.formatNow(task('xml', big))?.kind).toBe('xml')
  })

  it('decodes small stored bodies at once and big ones in the worker', async () => {
    const { workers, formatter } = withFakeWorkers()
    expect(formatter.decodeNow(encodeBase64(utf8('{"a":1}')), 'application/json')).toMatchObject({ format: 'json' })
    const big = encodeBase64(new Uint8Array(300 * 1024).fill(0x61))
    expect(formatter.decodeNow(big, null)).toBeNull()
    const pending = formatter.decode(big, null, new AbortController().signal)
    const request = workers[0]!.received[0]!
    expect(request.work).toEqual({ op: 'decode', base64: big, contentType: null })
    workers[0]!.answer({ id: request.id, ok: true, result: decodeStoredBody(big, null) })
    expect(await pending).toMatchObject({ format: 'text' })
  })

  it('fails the task of a worker that cannot start', async () => {
    const { workers, formatter } = withFakeWorkers()
    const pending = formatter.format(task('lines', new Uint8Array(300 * 1024)), new AbortController().signal)
    workers[0]!.fail('blocked by CSP')
    await expect(pending).rejects.toThrow('the body worker failed: blocked by CSP')
  })
})

describe('sniffImage', () => {
  it('reads the format and size from the bytes, and refuses decompression-bomb sizes', () => {
    const png = (width: number, height: number) => {
      const bytes = new Uint8Array(33)
      bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
      new DataView(bytes.buffer).setUint32(16, width)
      new DataView(bytes.buffer).setUint32(20, height)
      return bytes
    }
    expect(sniffImage(png(2, 3))).toMatchObject({ type: 'png', mime: 'image/png', extension: '.png', width: 2, height: 3, previewable: true })
    expect(sniffImage(png(100_000, 100_000))).toMatchObject({ type: 'png', previewable: false })
    expect(sniffImage(utf8('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'))).toBeNull()
    expect(sniffImage(utf8('{"not":"an image"}'))).toBeNull()
  })
})

describe('createViewFailureLog', () => {
  it('logs a failure once per view and delivery, with the error name and never its message', () => {
    const lines: string[] = []
    const log = createViewFailureLog((line) => lines.push(line))
    const error = new RangeError('Invalid string length near "secret payload"')
    log('xml view', 'd1', error)
    log('xml view', 'd1', error)
    log('json view', 'd1', error)
    expect(lines).toEqual(['Hookscope: the xml view failed on delivery d1 (RangeError)', 'Hookscope: the json view failed on delivery d1 (RangeError)'])
  })
})

function withFakeWorkers() {
  const workers: FakeWorker[] = []
  const createWorker = () => {
    const worker = new FakeWorker()
    workers.push(worker)
    return worker as unknown as Worker
  }
  return { workers, formatter: createBodyFormatter({ createWorker, clock: () => 0 }) }
}

type Request = BodyWorkerRequest

/** Enough of a Worker for the formatter: records what it is sent, answers on demand. */
class FakeWorker {
  received: Request[] = []
  terminated = false
  onmessage: ((event: { data: unknown }) => void) | null = null
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null = null
  postMessage(request: Request) {
    this.received.push(request)
  }
  terminate() {
    this.terminated = true
  }
  answer(data: unknown) {
    this.onmessage?.({ data })
  }
  fail(message: string) {
    this.onerror?.({ message, preventDefault() {} })
  }
}
