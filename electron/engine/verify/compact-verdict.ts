import type { CompactVerdict, Verdict } from '../../../shared/model/verdict'
import { previewFromRef } from './hmac/signed-content-preview'

/**
 * The verdict with its signed-content preview, built from the body its reference points into. The
 * capture worker stores verdicts compact (the preview is display only: up to 4 KiB of text per
 * delivery that capture need not build); every verdict that leaves the engine goes through here,
 * so the UI sees the same `signedContent` either way.
 */
export function expandVerdict(verdict: CompactVerdict, body: Buffer): Verdict {
  const { signedContentRef, ...rest } = verdict
  if (!signedContentRef) return verdict
  return { ...rest, signedContent: previewFromRef(signedContentRef, body) }
}
