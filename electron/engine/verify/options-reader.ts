import type { z } from 'zod'

/**
 * A scheme's key options, validated with zod: `read` falls back to the defaults when a stored key
 * carries options that no longer validate (checkKey refuses such keys up front); `check` names the
 * first problem as a sentence for checkKey. Reads are cached per options object, because detection
 * reads them for every key on every delivery (keyring entries are frozen, so the object is stable).
 */
export interface OptionsReader<O> {
  read(raw: Record<string, unknown> | undefined): O
  check(raw: Record<string, unknown>): string | null
}

export function optionsReader<S extends z.ZodType<Record<string, unknown>>>(schema: S): OptionsReader<z.infer<S>> {
  const cache = new WeakMap<object, z.infer<S>>()
  let defaults: z.infer<S> | undefined
  const defaultOptions = (): z.infer<S> => {
    defaults ??= schema.parse({})
    return defaults
  }
  return {
    read: (raw) => {
      if (raw === undefined || Object.keys(raw).length === 0) return defaultOptions()
      let value = cache.get(raw)
      if (value === undefined) {
        const parsed = schema.safeParse(raw)
        value = parsed.success ? parsed.data : defaultOptions()
        cache.set(raw, value)
      }
      return value
    },
    check: (raw) => {
      const parsed = schema.safeParse(raw ?? {})
      if (parsed.success) return null
      const issue = parsed.error.issues[0]!
      return `option ${issue.path.join('.') || '(options)'}: ${issue.message}`
    }
  }
}
