import type { RequestSource } from '../../../shared/model/delivery'
import type { Verdict } from '../../../shared/model/verdict'

const MESSAGE =
  'This delivery came through a smee channel, which parses the body and sends it on re-serialised: ' +
  'the bytes Hookscope checked are not the bytes the sender signed, so a signature over the raw body ' +
  'cannot match here. Receive through a Hookscope relay-server channel to keep the bytes.'

/**
 * A failed check on a re-serialised delivery names re-serialisation as the likely cause, first,
 * before the other findings (which were computed over bytes the sender never sent).
 */
export function withReserializationHint(verdict: Verdict, source: RequestSource | undefined): Verdict {
  if (verdict.status !== 'invalid' || source?.kind !== 'tunnel' || !source.reserialized) return verdict
  return {
    ...verdict,
    summary: `${verdict.summary.replace(/\.?$/, '.')} Likely cause: smee re-serialised the body.`,
    findings: [{ code: 'BODY_RESERIALIZED', message: MESSAGE }, ...verdict.findings]
  }
}
