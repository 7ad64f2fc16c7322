import type { SchemeInfo } from '../../../shared/api/contract'
import type { KeyEntry } from '../../../shared/model/keyring'
import type { Scheme } from './scheme'
import { genericHmac, xSignature } from './schemes/generic-hmac'
import { hmacPresets } from './schemes/hmac-presets'
import { keySchemes } from './schemes/key-schemes'
import { standardWebhooks, svix } from './schemes/standard-webhooks'

/** Every scheme Hookscope knows, most specific first (detection ties go to the earlier one). */
export const allSchemes: readonly Scheme[] = [standardWebhooks, svix, ...hmacPresets, ...keySchemes, xSignature, genericHmac]

const byId = new Map(allSchemes.map((scheme) => [scheme.id, scheme]))

export function findScheme(id: string): Scheme | undefined {
  return byId.get(id)
}

export function schemeInfos(): SchemeInfo[] {
  return allSchemes.map((scheme) => ({ id: scheme.id, label: scheme.label, needs: [...scheme.needs] }))
}

/** Whether a key fits its scheme; a sentence naming the problem (never the material) or null. */
export function checkKeyForScheme(scheme: string, key: Pick<KeyEntry, 'material' | 'options' | 'keyId'>): string | null {
  const found = byId.get(scheme)
  if (!found) return `unknown scheme "${scheme}" (see verify.schemes for the list)`
  return found.checkKey(key)
}
