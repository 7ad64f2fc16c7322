import type { z } from 'zod'

/**
 * Key options of a keyed scheme, validated with zod: `read` falls back to the defaults when a
 * stored key carries options that no longer validate (checkKey refuses such keys up front);
 * `check` names the first problem as a sentence for checkKey.
 */
export interface OptionsReader<O> {
  read(raw: Record<string, unknown>): O
  check(raw: Record<string, unknown>): string | null
}

export function optionsReader<S extends z.ZodType<Record<string, unknown>>>(schema: S): OptionsReader<z.infer<S>> {
  return {
    read: (raw) => {
      const parsed = schema.safeParse(raw ?? {})
      return parsed.success ? parsed.data : schema.parse({})
    },
    check: (raw) => {
      const parsed = schema.safeParse(raw ?? {})
      if (parsed.success) return null
      const issue = parsed.error.issues[0]!
      return `option ${issue.path.join('.') || '(options)'}: ${issue.message}`
    }
  }
}
