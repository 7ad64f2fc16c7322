import type { KeyEntry, KeySummary } from '../../../shared/model/keyring'
import type { SigningOverview } from '../../../shared/model/signing'
import { signingCapabilities } from './registry'
import { signingProblem } from './sign-request'

/**
 * For the UI's key pickers (re-signed replay, sender): which keys can sign, and for each one that
 * cannot, the refusal signRequest would give (so a picker can say why before anything is sent).
 * While the keyring is locked the material is out of reach: every key says so.
 */
export function signingOverview(summaries: readonly KeySummary[], keyring: { locked: boolean; keys: readonly KeyEntry[] }): SigningOverview {
  const entries = new Map(keyring.keys.map((entry) => [entry.id, entry]))
  return {
    locked: keyring.locked,
    capabilities: signingCapabilities(),
    keys: summaries.map((summary) => {
      const entry = entries.get(summary.id)
      if (keyring.locked) return { id: summary.id, problem: { code: 'VAULT_LOCKED', reason: 'The keyring is locked: unlock it to sign with its keys.' } }
      // Listed, but its material could not be opened (the keyring logs which).
      if (!entry) return { id: summary.id, problem: { code: 'KEY_UNUSABLE', reason: `Key "${summary.name}" cannot be read from the keyring.` } }
      const problem = signingProblem(entry)
      return { id: summary.id, problem: problem ? { code: problem.code, reason: problem.reason } : null }
    })
  }
}
