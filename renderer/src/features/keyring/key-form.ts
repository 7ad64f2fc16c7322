import type { KeyMaterial, KeyMaterialField } from '../../../../shared/model/keyring'
import type { NewKey } from '../../stores/keys-store'

/** The add-key form as typed. Everything is text until submit turns it into `keys.create` params. */
export interface KeyFormValues {
  name: string
  scheme: string
  material: Partial<Record<KeyMaterialField, string>>
  keyId: string
  status: 'ACTIVE' | 'INACTIVE'
  group: string
  endpointIds: readonly string[]
  /** One per line (commas also separate). */
  pathPrefixes: string
  notes: string
  /** A JSON object, or empty. */
  options: string
}

export type KeyFormField = 'name' | 'scheme' | 'material' | 'jwks' | 'pathPrefixes' | 'options'
export type KeyFormErrors = Partial<Record<KeyFormField, string>>

export const EMPTY_KEY_FORM: KeyFormValues = {
  name: '',
  scheme: '',
  material: {},
  keyId: '',
  status: 'ACTIVE',
  group: '',
  endpointIds: [],
  pathPrefixes: '',
  notes: '',
  options: ''
}

const MATERIAL_FIELDS: readonly KeyMaterialField[] = ['secret', 'publicKey', 'privateKey', 'certificate', 'jwks']

export function isMaterialField(name: string): name is KeyMaterialField {
  return (MATERIAL_FIELDS as readonly string[]).includes(name)
}

/** The material inputs a scheme gets, in the scheme's order (unknown names are ignored). */
export function materialFieldsFor(needs: readonly string[]): KeyMaterialField[] {
  return needs.filter(isMaterialField)
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

/** Client-side JSON syntax check for the options box: empty is "no options", anything else must be an object. */
export function parseJsonObject(text: string, what: string): Parsed<Record<string, unknown> | undefined> {
  if (text.trim() === '') return { ok: true, value: undefined }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { ok: false, error: `${what} is not valid JSON (${error instanceof Error ? error.message : 'syntax error'})` }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: `${what} must be a JSON object, like {"toleranceSeconds": 600}` }
  return { ok: true, value: value as Record<string, unknown> }
}

function parseJwks(text: string): Parsed<NonNullable<KeyMaterial['jwks']>> {
  const parsed = parseJsonObject(text, 'The JWKS')
  if (!parsed.ok) return parsed
  const keys = parsed.value?.keys
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))) {
    return { ok: false, error: 'The JWKS must look like {"keys": [{...}, ...]} with at least one key' }
  }
  return { ok: true, value: { keys: keys as Record<string, unknown>[] } }
}

export function splitPathPrefixes(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/**
 * Checks what the browser can check (required fields, JSON syntax, path shape) and builds the
 * params; the engine then judges the key material itself and answers with a sentence if it refuses.
 */
export function buildCreateParams(values: KeyFormValues, needs: readonly string[]): { ok: true; params: NewKey } | { ok: false; errors: KeyFormErrors } {
  const errors: KeyFormErrors = {}
  const name = values.name.trim()
  if (name === '') errors.name = 'A name is required'
  if (values.scheme === '') errors.scheme = 'Pick a scheme'

  const material: KeyMaterial = {}
  for (const field of materialFieldsFor(needs)) {
    const raw = values.material[field] ?? ''
    if (raw.trim() === '') continue
    if (field === 'jwks') {
      const jwks = parseJwks(raw)
      if (jwks.ok) material.jwks = jwks.value
      else errors.jwks = jwks.error
    } else {
      // A secret is used exactly as typed; PEM and JWK text may carry stray surrounding whitespace.
      material[field] = field === 'secret' ? raw : raw.trim()
    }
  }
  if (Object.keys(material).length === 0 && !errors.jwks && values.scheme !== '') {
    errors.material = needs.length > 1 ? 'Enter at least one of the key fields' : 'Enter the key material'
  }

  const pathPrefixes = splitPathPrefixes(values.pathPrefixes)
  const badPath = pathPrefixes.find((path) => !path.startsWith('/'))
  if (badPath !== undefined) errors.pathPrefixes = `Path prefixes start with "/" ("${badPath.slice(0, 40)}" does not)`

  const options = parseJsonObject(values.options, 'Options')
  if (!options.ok) errors.options = options.error

  if (Object.keys(errors).length > 0 || !options.ok) return { ok: false, errors }

  const params: NewKey = { name, scheme: values.scheme, material, status: values.status }
  const keyId = values.keyId.trim()
  if (keyId) params.keyId = keyId
  const group = values.group.trim()
  if (group) params.group = group
  if (values.endpointIds.length > 0) params.endpointIds = [...values.endpointIds]
  if (pathPrefixes.length > 0) params.pathPrefixes = pathPrefixes
  if (values.notes.trim() !== '') params.notes = values.notes
  if (options.value) params.options = options.value
  return { ok: true, params }
}
