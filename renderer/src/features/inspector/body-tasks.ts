import { decodeBase64 } from '../../../../shared/lib/base64'
import { type BodyFormat, detectBodyFormat } from '../../../../shared/lib/body-format'
import type { Clock, Cutoff } from '../../../../shared/lib/budget'
import { contentTypeParam } from '../../../../shared/lib/content-type'
import { type FormDoc, formFields } from '../../../../shared/lib/form-urlencoded'
import { type JsonParseResult, parseJsonTree } from '../../../../shared/lib/json-tree'
import { type LineDoc, splitLines } from '../../../../shared/lib/line-doc'
import { type MultipartDoc, parseMultipart } from '../../../../shared/lib/multipart'
import { formatXml, type XmlDoc } from '../../../../shared/lib/xml-pretty'
import { FORM_BUDGET, JSON_BUDGET, MULTIPART_BUDGET, RAW_BUDGET, XML_BUDGET } from './body-budgets'
import { decodeBodyText } from './body-text'

/**
 * The formatting work behind the body views, as pure functions of the bytes: run inline for small
 * bodies and in the body worker for the rest (body-worker.ts), with the same result either way.
 */

export type BodyTaskKind = 'lines' | 'xml' | 'json' | 'form' | 'multipart'

export interface BodyTask {
  kind: BodyTaskKind
  bytes: Uint8Array
  contentType: string | null
  /** The stored body is only the start of what was sent (413). */
  truncated: boolean
}

interface Outputs {
  lines: LineDoc
  xml: XmlDoc
  json: JsonParseResult
  form: FormDoc
  multipart: MultipartDoc
}

/** What a task produced, and whether the input budget left bytes out (before any other cutoff). */
export type BodyTaskResult<K extends BodyTaskKind = BodyTaskKind> = { kind: K; output: Outputs[K]; inputCutoff: Cutoff | null }

const INPUT_LIMITS: Record<BodyTaskKind, number> = {
  lines: RAW_BUDGET.maxInputBytes,
  xml: XML_BUDGET.maxInputBytes,
  json: JSON_BUDGET.maxInputBytes,
  form: FORM_BUDGET.maxInputBytes,
  multipart: MULTIPART_BUDGET.maxInputBytes
}

export function runBodyTask<K extends BodyTaskKind>(task: BodyTask & { kind: K }, clock: Clock): BodyTaskResult<K> {
  const limit = INPUT_LIMITS[task.kind]
  const inputCutoff: Cutoff | null = task.bytes.length > limit ? { limit: 'input', at: limit, unit: 'bytes' } : null
  const bytes = inputCutoff ? task.bytes.subarray(0, limit) : task.bytes
  const output = formatBytes(task.kind, bytes, task, clock, inputCutoff)
  return { kind: task.kind, output, inputCutoff } as BodyTaskResult<K>
}

function formatBytes(kind: BodyTaskKind, bytes: Uint8Array, task: BodyTask, clock: Clock, inputCutoff: Cutoff | null): Outputs[BodyTaskKind] {
  switch (kind) {
    case 'lines':
      return splitLines(decodeBodyText(bytes, task.contentType), RAW_BUDGET, clock)
    case 'xml':
      return formatXml(decodeBodyText(bytes, task.contentType), XML_BUDGET, clock)
    case 'json': {
      // A body cut short (here or at capture) is shown up to where it ends, not called invalid.
      const cutShort = inputCutoff ?? (task.truncated ? { limit: 'input' as const, at: bytes.length, unit: 'bytes' as const } : null)
      return parseJsonTree(decodeBodyText(bytes, task.contentType), JSON_BUDGET, clock, cutShort)
    }
    case 'form': {
      const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
      return formFields(bytes, FORM_BUDGET, clock, (field) => utf8.decode(field))
    }
    case 'multipart':
      return parseMultipart(bytes, contentTypeParam(task.contentType, 'boundary'), MULTIPART_BUDGET, clock)
  }
}

/** What the body worker does: decode a stored body (base64 as it comes from the engine), or format one. */
export type BodyWork = { op: 'decode'; base64: string; contentType: string | null } | { op: 'format'; task: BodyTask }

export interface StoredBody {
  bytes: Uint8Array<ArrayBuffer>
  format: BodyFormat
}

/** Bytes and detected format of a stored body; throws when the base64 is corrupt. */
export function decodeStoredBody(base64: string, contentType: string | null): StoredBody {
  const bytes = decodeBase64(base64)
  return { bytes, format: detectBodyFormat(contentType, bytes) }
}

/** The buffers a result can hand over to the page without copying. */
export function transferables(result: BodyTaskResult): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = []
  const add = (...arrays: Array<{ buffer: ArrayBuffer } | null>) => {
    for (const array of arrays) if (array) buffers.push(array.buffer)
  }
  switch (result.kind) {
    case 'lines':
    case 'xml': {
      const doc = result.output as LineDoc
      add(doc.starts, doc.depths)
      break
    }
    case 'json': {
      const parsed = result.output as JsonParseResult
      if (parsed.ok) {
        const { doc } = parsed
        add(doc.kinds, doc.parents, doc.ends, doc.depths, doc.slots, doc.sizes, doc.keyStarts, doc.valueStarts, doc.valueEnds)
      }
      break
    }
    case 'form': {
      const doc = result.output as FormDoc
      add(doc.nameStarts, doc.valueStarts, doc.valueEnds)
      break
    }
    case 'multipart':
      break
  }
  return buffers
}
