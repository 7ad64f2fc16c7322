import type { RawHeader } from '../../../shared/model/delivery'
import type { KeyEntry, KeyMaterialField } from '../../../shared/model/keyring'
import type { Scheme } from '../verify/scheme'
import type { VerifyRequest } from '../verify/verify-request'
import { type Signer, type SignFailure, type SignInput, type SignResult, signFailure } from './sign-types'

/** The request being re-signed; writers replace its fields (never mutate its header list in place). */
export interface Draft {
  method: string
  url: string
  headers: RawHeader[]
  body: Buffer
  notes: string[]
}

export interface SignContext {
  now: number
  newId: string
  key: KeyEntry
  options: Record<string, unknown>
  plaintext?: Buffer
}

/** Writes the scheme's headers (and body fields); returns a refusal when the request cannot carry them. */
export type Writer = (draft: Draft, context: SignContext) => SignFailure | undefined

export interface SignerDefinition {
  scheme: Pick<Scheme, 'id' | 'label' | 'checkKey'>
  signsWith: readonly KeyMaterialField[]
  limits?: string | null
  /** Key problems beyond "has the signing material" and the verifier's own checkKey. */
  check?(key: KeyEntry): SignFailure | null
  write: Writer
}

/** The draft as verification sees it (a fresh header list each time: see header-edit.ts). */
export function asVerifyRequest(draft: Draft): VerifyRequest {
  return { method: draft.method, url: draft.url, headers: [...draft.headers], body: draft.body, endpointId: null }
}

function materialProblem(definition: SignerDefinition, key: KeyEntry): SignFailure | null {
  if (definition.signsWith.length === 0)
    return signFailure('SCHEME_CANNOT_SIGN', definition.limits ?? `${definition.scheme.label} cannot be signed by Hookscope.`)
  if (definition.signsWith.some((field) => key.material[field] !== undefined)) return null
  const held = (Object.keys(key.material) as KeyMaterialField[]).filter((field) => key.material[field] !== undefined)
  const wanted = definition.signsWith.join(' or ')
  const has = held.length > 0 ? `it holds only ${held.join(', ')}` : 'it holds no key material'
  return signFailure(
    'KEY_CANNOT_SIGN',
    `Key "${key.name}" cannot sign ${definition.scheme.label}: signing needs ${wanted}, and ${has}.${definition.limits ? ` ${definition.limits}` : ''}`
  )
}

export function defineSigner(definition: SignerDefinition): Signer {
  const check = (key: KeyEntry): SignFailure | null => {
    if (key.status !== 'ACTIVE') {
      return signFailure(
        'KEY_NOT_ACTIVE',
        `Key "${key.name}" is ${key.status}: only ACTIVE keys sign (a delivery signed with it would verify as KEY_${key.status}).`
      )
    }
    const missing = materialProblem(definition, key)
    if (missing) return missing
    const misfit = definition.scheme.checkKey(key)
    if (misfit) return signFailure('KEY_UNUSABLE', `Key "${key.name}" cannot be used for ${definition.scheme.label}: ${misfit}.`)
    return definition.check?.(key) ?? null
  }
  return {
    scheme: definition.scheme.id,
    label: definition.scheme.label,
    signsWith: definition.signsWith,
    limits: definition.limits ?? null,
    check,
    sign: (input: SignInput, key: KeyEntry): SignResult => {
      const problem = check(key)
      if (problem) return problem
      const draft: Draft = {
        method: input.method,
        url: input.url,
        headers: input.headers.map(([name, value]): RawHeader => [name, value]),
        body: input.body,
        notes: []
      }
      const context: SignContext = { now: input.now, newId: input.newId, key, options: key.options, plaintext: input.plaintext }
      let refused: SignFailure | undefined
      try {
        refused = definition.write(draft, context)
      } catch (error) {
        // A signer bug must not take the replay down, nor leak material through an error message.
        return signFailure(
          'KEY_UNUSABLE',
          `${definition.scheme.label} could not sign with key "${key.name}" (${error instanceof Error ? error.name : 'error'}).`
        )
      }
      if (refused) return refused
      return {
        ok: true,
        headers: draft.headers,
        body: draft.body,
        ...(draft.url !== input.url ? { url: draft.url } : {}),
        scheme: definition.scheme.id,
        keyId: key.id,
        notes: draft.notes
      }
    }
  }
}
