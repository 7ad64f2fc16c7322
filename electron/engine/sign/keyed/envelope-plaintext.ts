import { type SignFailure, signFailure } from '../sign-types'

/**
 * What an envelope scheme seals: the plaintext the caller passes, else the body's own plaintext
 * when the body is an envelope this key opens, else the body itself (a plaintext to seal).
 * An envelope that this key does not open cannot be re-sealed without its plaintext.
 */
export function plaintextToSeal(
  given: Buffer | undefined,
  body: Buffer,
  envelope: { present: boolean; open: () => Buffer | null },
  label: string
): Buffer | SignFailure {
  if (given) return given
  if (!envelope.present) return body
  return (
    envelope.open() ??
    signFailure(
      'ENVELOPE_NOT_OPENABLE',
      `The body is a ${label} this key does not open (sealed under another key): pass its plaintext (the decrypted body of its verdict) to re-seal it.`
    )
  )
}
