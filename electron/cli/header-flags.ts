import type { RawHeader } from '../../shared/model/delivery'
import { UsageError } from './usage-error'

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** `--header 'Name: value'` (repeatable) as raw headers; a malformed one is a usage error. */
export function headerFlags(values: readonly string[] | undefined): RawHeader[] {
  return (values ?? []).map((text) => {
    const colon = text.indexOf(':')
    const name = colon === -1 ? '' : text.slice(0, colon).trim()
    if (!TOKEN.test(name)) throw new UsageError(`--header must look like 'Name: value', not "${text}"`)
    const value = text.slice(colon + 1).trim()
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new UsageError(`--header ${name}: the value must not contain control characters`)
    return [name, value]
  })
}

/**
 * The delivery's headers with each `--header` set: the first header of that name (any case)
 * gets the new value in place, further ones go, and a header it did not have is added at the end.
 */
export function withHeaders(headers: readonly RawHeader[], set: readonly RawHeader[]): RawHeader[] {
  let result: RawHeader[] = headers.map(([name, value]) => [name, value])
  for (const [name, value] of set) {
    const lower = name.toLowerCase()
    const at = result.findIndex(([candidate]) => candidate.toLowerCase() === lower)
    if (at === -1) {
      result.push([name, value])
      continue
    }
    result = result.filter(([candidate], index) => index === at || candidate.toLowerCase() !== lower)
    result[at] = [result[at]![0], value]
  }
  return result
}
