import type { Transform } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib'

/**
 * Undoes a body's Content-Encoding (gzip, deflate, br) so the inspector shows and searches what the
 * sender meant. The decoded size is capped: a few KiB of gzip or brotli can claim gigabytes (a
 * decompression bomb), so decoding streams and stops at `maxBytes`, keeping what came before.
 * Node's zlib does the work (the browser has no brotli), off the event loop in its thread pool.
 */
export type ContentDecoding =
  | {
      ok: true
      body: Buffer
      /** The codings undone, as the header lists them. */
      codings: string[]
      /** The decoded body was longer than the cap: `body` is its first `maxBytes`. */
      capped: boolean
      /** The stored bytes end before the compressed stream does (a truncated delivery): `body` is what they decode to. */
      incomplete: boolean
    }
  | { ok: false; codings: string[]; reason: string }

const DECODERS: Record<string, Array<() => Transform>> = {
  gzip: [createGunzip],
  'x-gzip': [createGunzip],
  // HTTP's deflate is zlib-wrapped, but servers have long sent raw deflate under that name.
  deflate: [createInflate, createInflateRaw],
  br: [createBrotliDecompress]
}

/** Decodes `body` through every coding, last applied first. Never throws: a failure is data. */
export async function decodeContent(body: Buffer, codings: readonly string[], maxBytes: number): Promise<ContentDecoding> {
  const unknown = codings.find((coding) => !Object.hasOwn(DECODERS, coding))
  if (unknown !== undefined) return { ok: false, codings: [...codings], reason: `${clip(unknown)} is not a coding Hookscope decodes` }
  let current = body
  let capped = false
  let incomplete = false
  for (const coding of [...codings].reverse()) {
    let step: Step = { ok: false, reason: 'no decoder' }
    for (const decoder of DECODERS[coding]!) {
      step = await decodeOne(current, decoder(), maxBytes)
      if (step.ok) break
    }
    if (!step.ok) return { ok: false, codings: [...codings], reason: `${coding}: ${step.reason}` }
    current = step.body
    capped ||= step.capped
    incomplete ||= step.incomplete
  }
  return { ok: true, body: current, codings: [...codings], capped, incomplete }
}

type Step = { ok: true; body: Buffer; capped: boolean; incomplete: boolean } | { ok: false; reason: string }

async function decodeOne(input: Buffer, decoder: Transform, maxBytes: number): Promise<Step> {
  const chunks: Buffer[] = []
  let total = 0
  try {
    decoder.end(input)
    for await (const chunk of decoder as AsyncIterable<Buffer>) {
      if (total + chunk.length >= maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - total))
        total = maxBytes
        // Leaving the loop destroys the stream: nothing past the cap is decoded.
        return { ok: true, body: Buffer.concat(chunks, total), capped: true, incomplete: false }
      }
      chunks.push(chunk)
      total += chunk.length
    }
    return { ok: true, body: Buffer.concat(chunks, total), capped: false, incomplete: false }
  } catch (error) {
    // What decoded before the stream broke is kept (the stored body may be cut short).
    if (total > 0) return { ok: true, body: Buffer.concat(chunks, total), capped: false, incomplete: true }
    return { ok: false, reason: `not valid data (${clip(error instanceof Error ? error.message : String(error))})` }
  }
}

function clip(text: string): string {
  return text.length > 80 ? text.slice(0, 80) + '…' : text
}
