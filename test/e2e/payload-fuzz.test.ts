import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestHead, sendToCapture } from '../helpers/capture-send'
import { launchChromium } from '../helpers/chromium'
import { type ListenProcess, startListen } from '../helpers/cli-process'
import { type PageWatch, watchPage } from './page-watch'

/**
 * Issue 12's payload fuzz suite: hostile and huge bodies, generated here, sent through the real
 * capture port of `hookscope listen`, each opened in Chromium in every body tab it has and in the
 * Signature tab. Passes when no view fails, the page logs no error and never crashes, nothing is
 * fetched from outside the UI's origin (XML external entities), every view's DOM stays bounded
 * whatever the body's size (the views are windowed: that is what keeps a paint short), and the JS
 * heap comes back down after the deliveries are closed. On top of the fixed corpus, seeded random
 * bodies: the seed is printed, and `HOOKSCOPE_FUZZ_SEED=<seed>` replays a run.
 *
 * Paint times and the longest main-thread task per view are printed, not asserted (no timed
 * assertions in tests: these machines are shared); the structural bound is asserted instead.
 * Needs `npx electron-vite build` first. Every wait is bounded.
 */

const WAIT = { timeout: 60_000 }
const SEED = Number(process.env.HOOKSCOPE_FUZZ_SEED ?? Date.now() % 2 ** 31)
/** Elements one body view may put in the DOM, for any body: windowed views draw what is on screen. */
const MAX_VIEW_ELEMENTS = 4_000
/** Characters of text one view may hold in the DOM (a screenful of rows, each capped). */
const MAX_VIEW_TEXT = 1_500_000
/** Heap growth allowed after every delivery was opened and closed again. */
const MAX_HEAP_GROWTH = 96 * 1024 * 1024
const MiB = 1024 * 1024
/** The endpoint's default body limit: a bigger body is answered 413 and stored truncated. */
const BODY_LIMIT = 10 * MiB

interface Payload {
  name: string
  headers: Array<[string, string]>
  body: Buffer
}

const json = (): Payload['headers'] => [['Content-Type', 'application/json']]
const type = (value: string): Payload['headers'] => [['Content-Type', value]]

/** A 1×1 PNG, and the same with a header claiming 100,000 × 100,000 pixels (never decoded). */
function png(width = 1, height = 1): Buffer {
  const bytes = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
    'hex'
  )
  bytes.writeUInt32BE(width, 16)
  bytes.writeUInt32BE(height, 20)
  return bytes
}

function multipart(parts: number): Payload {
  const boundary = 'fuzz-boundary-7MA4YWxk'
  const chunks = Array.from(
    { length: parts },
    (_, i) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="field${i}"${i % 10 === 0 ? `; filename="f${i}.bin"` : ''}\r\n\r\nvalue ${i} <b>&amp;</b>\r\n`
  )
  return {
    name: `multipart, ${parts} parts`,
    headers: type(`multipart/form-data; boundary=${boundary}`),
    body: Buffer.from(chunks.join('') + `--${boundary}--\r\n`)
  }
}

function fixedCorpus(): Payload[] {
  const items = Array.from({ length: 60_000 }, (_, i) => ({ id: `item-${i}`, qty: i }))
  return [
    { name: 'empty', headers: [], body: Buffer.alloc(0) },
    { name: 'JSON, 60,000-element array', headers: json(), body: Buffer.from(JSON.stringify(items)) },
    { name: 'JSON, 100,000-deep nesting', headers: json(), body: Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)) },
    { name: 'JSON, one 10 MB string', headers: json(), body: Buffer.from(`{"s":"${'a'.repeat(10_000_000)}"}`) },
    {
      name: 'JSON, duplicate keys, huge numbers, lone surrogates, __proto__',
      headers: json(),
      body: Buffer.from(
        '{"a":1,"a":2,"n":1e400,"big":123456789012345678901234567890,"s":"\\ud800\\udc00\\udfff","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}'
      )
    },
    {
      name: 'XML, entity-expansion bomb',
      headers: type('application/xml'),
      body: Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
          Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') +
          ']><lolz>&lol9;</lolz>'
      )
    },
    {
      name: 'XML, external entities',
      headers: type('application/xml'),
      body: Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY ext SYSTEM "http://127.0.0.1:9/steal"><!ENTITY % p SYSTEM "file:///etc/passwd">%p;]><r>&ext;</r>'
      )
    },
    { name: 'XML, 100,000-deep nesting', headers: type('application/xml'), body: Buffer.from('<a>'.repeat(100_000) + '</a>'.repeat(100_000)) },
    {
      name: 'XML, CDATA, processing instructions, mismatched tags',
      headers: type('text/xml'),
      body: Buffer.from('<?xml version="1.0"?><?pi target?><r><![CDATA[<not>a tag]]]]><![CDATA[>]]><a><b></a></b><c attr="<">x</d></r>')
    },
    {
      name: 'form, 100,000 fields',
      headers: type('application/x-www-form-urlencoded'),
      body: Buffer.from(Array.from({ length: 100_000 }, (_, i) => `f${i}=v%20${i}`).join('&'))
    },
    multipart(1_000),
    { name: 'gzip JSON', headers: [...json(), ['Content-Encoding', 'gzip']], body: gzipSync(JSON.stringify({ type: 'invoice.paid', items })) },
    {
      name: 'deflate text',
      headers: [
        ['Content-Type', 'text/plain'],
        ['Content-Encoding', 'deflate']
      ],
      body: deflateSync('line\n'.repeat(50_000))
    },
    {
      name: 'br XML',
      headers: [
        ['Content-Type', 'application/xml'],
        ['Content-Encoding', 'br']
      ],
      body: brotliCompressSync('<r>' + '<i>x</i>'.repeat(50_000) + '</r>')
    },
    { name: 'gzip decompression bomb (256 MiB of zeros)', headers: [['Content-Encoding', 'gzip']], body: gzipSync(Buffer.alloc(256 * MiB), { level: 9 }) },
    {
      name: 'invalid UTF-8',
      headers: type('text/plain; charset=utf-8'),
      body: Buffer.from([0x61, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc, 0xff, 0xfe, 0x62])
    },
    {
      name: 'UTF-16 with a BOM',
      headers: type('text/plain; charset=utf-16'),
      body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo wörld \u202Eevil\u202C', 'utf16le')])
    },
    { name: 'NUL bytes', headers: type('text/plain'), body: Buffer.from('a\u0000b\u0000'.repeat(1000)) },
    {
      name: 'bidi and zero-width characters',
      headers: json(),
      body: Buffer.from(JSON.stringify({ file: '\u202Eevil.exe\u202C', zw: 'pay\u200Bpal\u200D', tag: '\u{E0041}', isolate: '\u2066x\u2069' }))
    },
    { name: '10 MB without a newline', headers: type('text/plain'), body: Buffer.alloc(10_000_000, 0x78) },
    { name: 'over the body limit (413, stored truncated)', headers: json(), body: Buffer.from('[' + '1,'.repeat((BODY_LIMIT + MiB) / 2) + '1]') },
    { name: '1,000 headers', headers: Array.from({ length: 1_000 }, (_, i): [string, string] => [`X-Fuzz-${i}`, `v${i}`]), body: Buffer.from('{}') },
    { name: 'a 60 KB header value', headers: [['X-Big', 'v'.repeat(60 * 1024)]], body: Buffer.from('{}') },
    { name: 'PNG image', headers: type('image/png'), body: png() },
    { name: 'PNG claiming 100,000 × 100,000 pixels', headers: type('image/png'), body: png(100_000, 100_000) }
  ]
}

/** mulberry32: small, seedable, good enough to pick shapes and bytes. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function seededCorpus(seed: number, count: number): Payload[] {
  const next = random(seed)
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(options: readonly T[]): T => options[int(options.length)]!
  const atoms = [
    '<',
    '>',
    '</a>',
    '<a b="',
    '"',
    '{',
    '}',
    '[',
    ']',
    ':',
    ',',
    '"k":',
    '&',
    '=',
    '%',
    '\\u0000',
    '\u202E',
    '\u200B',
    '\r\n',
    '--b\r\n',
    '<!--',
    ']]>',
    '<![CDATA[',
    'é',
    '😀',
    '\ud800'
  ]
  const types = [
    'application/json',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=b',
    'text/plain',
    'application/octet-stream',
    ''
  ]
  return Array.from({ length: count }, (_, i) => {
    const shape = int(3)
    const size = pick([0, 1, 17, 300, 5_000, 80_000, 400_000])
    let body: Buffer
    if (shape === 0) body = Buffer.from(Array.from({ length: size }, () => int(256)))
    else {
      const parts: string[] = []
      let length = 0
      while (length < size) {
        const atom = next() < 0.5 ? pick(atoms) : 'x'.repeat(int(20))
        parts.push(atom)
        length += atom.length
      }
      body = Buffer.from(parts.join(''))
    }
    const contentType = pick(types)
    return { name: `seeded #${i} (shape ${shape}, ${body.length} bytes, ${contentType || 'no type'})`, headers: contentType ? type(contentType) : [], body }
  })
}

let cli: ListenProcess
let browser: Browser
let page: Page
let watch: PageWatch
let dataDir: string
let uiOrigin: string
const outside: string[] = []
const timings: string[] = []

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hookscope-e2e-fuzz-'))
  cli = await startListen(dataDir)
  if (!cli.ui) throw new Error('the CLI printed no UI line')
  uiOrigin = new URL(cli.ui.url).origin
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  watch = await watchPage(page)
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(uiOrigin) && !url.startsWith('blob:') && !url.startsWith('data:')) outside.push(url)
  })
  await page.goto(`${cli.ui.url}#token=${cli.ui.token}`)
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor(WAIT)
})

afterAll(async () => {
  if (timings.length) console.log(`payload fuzz (seed ${SEED}), click to first paint / longest task per view:\n${timings.join('\n')}`)
  await browser?.close()
  await cli?.stop().catch(() => cli.kill())
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

const row = (id: string) => page.locator(`[data-testid="delivery-row"][data-id="${id}"]`)

/** What each body tab shows once it has painted (content, or its "not this format" notice). */
const READY: Record<string, string> = {
  raw: '[data-testid="raw-view"]',
  json: '[data-testid="json-view"], [data-testid="json-error"]',
  form: '[data-testid="form-view"], [data-testid="form-error"], [data-testid="form-empty"]',
  xml: '[data-testid="xml-view"], [data-testid="xml-error"]',
  parts: '[data-testid="multipart-view"], [data-testid="multipart-error"]',
  image: '[data-testid="image-view"]',
  hex: '[data-testid="hex-view"]'
}

async function send(payload: Payload): Promise<string> {
  const id = await sendToCapture(cli.capturePort, requestHead(cli.capturePort, '/fuzz', payload.headers, payload.body.length), payload.body, 120_000)
  await row(id).waitFor(WAIT)
  return id
}

/** The body view's size in the DOM: elements and characters. */
const viewSize = () =>
  page.evaluate(() => {
    const view = document.querySelector('[data-testid="body-view"] .tab-content')
    return { elements: view?.querySelectorAll('*').length ?? 0, text: view?.textContent?.length ?? 0 }
  })

async function openEveryView(payload: Payload, id: string): Promise<void> {
  const label = `${payload.name} (seed ${SEED})`
  await row(id).click()
  await page.locator(`[data-testid="delivery-detail"][data-id="${id}"]`).waitFor(WAIT)
  await page.locator('[data-testid="body-view"], [data-testid="body-empty"]').first().waitFor(WAIT)
  const tabs = await page
    .locator('[data-testid^="body-tab-"]')
    .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-testid')!.slice('body-tab-'.length)))
  for (const tab of tabs) {
    await watch.resetLongTasks()
    const started = await page.evaluate(() => performance.now())
    await page.getByTestId(`body-tab-${tab}`).click()
    await page.locator(`[data-testid="view-pending"], [data-testid="view-failed"], ${READY[tab]}`).first().waitFor(WAIT)
    const painted = await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))))
    await page.locator(`[data-testid="view-failed"], ${READY[tab]}`).first().waitFor(WAIT)
    expect(await page.getByTestId('view-failed').count(), `${label}: the ${tab} view failed`).toBe(0)
    const size = await viewSize()
    expect(size.elements, `${label}: ${tab} view elements`).toBeLessThanOrEqual(MAX_VIEW_ELEMENTS)
    expect(size.text, `${label}: ${tab} view text`).toBeLessThanOrEqual(MAX_VIEW_TEXT)
    timings.push(`  ${payload.name} / ${tab}: ${Math.round(painted - started)} ms / ${Math.round(await watch.longestTask())} ms`)
  }
  await page.getByTestId('inspector-tab-signature').click()
  await page.locator('[data-testid="view-failed"], [data-testid="signature-panel"]').first().waitFor(WAIT)
  expect(await page.getByTestId('view-failed').count(), `${label}: the signature panel failed`).toBe(0)
  await page.getByTestId('inspector-tab-request').click()
  expect(watch.problems, label).toEqual([])
  expect(outside, label).toEqual([])
}

describe('payload fuzz suite', () => {
  let heapBefore = 0

  it('measures the heap of the idle page', async () => {
    heapBefore = await watch.heapUsed()
    expect(heapBefore).toBeGreaterThan(0)
  })

  it.each(fixedCorpus().map((payload) => [payload.name, payload] as const))(
    'opens %s in every view',
    async (_name, payload) => {
      const id = await send(payload)
      await openEveryView(payload, id)
    },
    240_000
  )

  it(`opens seeded random bodies in every view (seed ${SEED})`, async () => {
    for (const payload of seededCorpus(SEED, 12)) await openEveryView(payload, await send(payload))
  }, 480_000)

  it('gives the heap back once the deliveries are closed', async () => {
    // Select the small empty delivery: the big bodies and their formatted views are let go.
    const empty = await send({ name: 'closing', headers: [], body: Buffer.alloc(0) })
    await row(empty).click()
    await page.getByTestId('body-empty').waitFor(WAIT)
    const heapAfter = await watch.heapUsed()
    console.log(`payload fuzz: heap ${Math.round(heapBefore / MiB)} MiB before, ${Math.round(heapAfter / MiB)} MiB after`)
    expect(heapAfter - heapBefore).toBeLessThan(MAX_HEAP_GROWTH)
    expect(watch.problems).toEqual([])
  }, 120_000)
})
