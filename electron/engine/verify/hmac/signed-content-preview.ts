import { isUtf8 } from 'node:buffer'
import type { SignedContentRef } from '../../../../shared/model/verdict'

const LIMIT = 4096

/** What was signed, for display: text as text, binary as a hex excerpt; never more than 4 KiB. */
export function previewSignedContent(content: Buffer): string {
  const head = content.subarray(0, LIMIT)
  const more = content.length > LIMIT ? ` … (${content.length - LIMIT} more bytes)` : ''
  if (isUtf8(content) || isUtf8(head)) return head.toString('utf8') + more
  return `<${content.length} bytes> ${head.subarray(0, 256).toString('hex')}${content.length > 256 ? '…' : ''}`
}

/**
 * The bytes a scheme signs, as it builds them: one buffer, or parts MACed in order without being
 * copied into one (`[prefix, request.body]`: the body is passed as is, never copied).
 */
export type SignedBytes = Buffer | readonly Buffer[]

export function signedLength(bytes: SignedBytes): number {
  if (Buffer.isBuffer(bytes)) return bytes.length
  let length = 0
  for (const part of bytes) length += part.length
  return length
}

export function joinSigned(bytes: SignedBytes): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.concat(bytes)
}

/**
 * What a verdict says about its signed content: a reference to the body when the body is one of
 * the parts (the preview waits until the verdict is shown), else the preview itself.
 */
export function describeSigned(bytes: SignedBytes, body: Buffer): { signedContent: string | undefined; signedContentRef: SignedContentRef | undefined } {
  if (bytes === body) return { signedContent: undefined, signedContentRef: { before: '', after: '' } }
  if (!Buffer.isBuffer(bytes)) {
    const at = bytes.indexOf(body)
    if (at >= 0 && bytes.indexOf(body, at + 1) < 0) {
      return { signedContent: undefined, signedContentRef: { before: latin1(bytes.slice(0, at)), after: latin1(bytes.slice(at + 1)) } }
    }
  }
  return { signedContent: previewSignedContent(joinSigned(bytes)), signedContentRef: undefined }
}

/** The preview a reference stands for, given the body it refers to. */
export function previewFromRef(ref: SignedContentRef, body: Buffer): string {
  if (ref.before === '' && ref.after === '') return previewSignedContent(body)
  return previewSignedContent(Buffer.concat([Buffer.from(ref.before, 'latin1'), body, Buffer.from(ref.after, 'latin1')]))
}

function latin1(parts: readonly Buffer[]): string {
  return parts.length === 0 ? '' : parts.length === 1 ? parts[0]!.toString('latin1') : Buffer.concat(parts).toString('latin1')
}
