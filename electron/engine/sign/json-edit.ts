import { jsonBody } from '../verify/json-body'

/**
 * Changes to signed JSON bodies (Linear's webhookTimestamp, Mailgun's signature block, Adyen's
 * per-item signatures). A top-level number is replaced in the text itself, so the bytes around it
 * stay as they were; anything else re-serialises the JSON with the body's own indentation.
 */
function indentOf(text: string): string | number {
  const match = /^[[{]\r?\n([ \t]+)\S/.exec(text.trimStart())
  return match ? match[1]! : 0
}

export function parseJsonObject(body: Buffer): Record<string, unknown> | null {
  const value = jsonBody(body)
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? structuredClone(value as Record<string, unknown>) : null
}

/** The body with `value` as the top-level `field`, and whether only that number's text changed. */
export function withTopLevelNumber(body: Buffer, field: string, value: number): { body: Buffer; inPlace: boolean } | null {
  const json = parseJsonObject(body)
  if (!json) return null
  const text = body.toString('utf8')
  const pattern = new RegExp(`("${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*)-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?`)
  if (typeof json[field] === 'number') {
    const replaced = text.replace(pattern, `$1${value}`)
    const check = jsonBody(Buffer.from(replaced, 'utf8'))
    if (typeof check === 'object' && check !== null && (check as Record<string, unknown>)[field] === value)
      return { body: Buffer.from(replaced, 'utf8'), inPlace: true }
  }
  json[field] = value
  return { body: reserialize(text, json), inPlace: false }
}

/** Re-serialises `value` with the indentation `original` used (compact when it had none). */
export function reserialize(original: string, value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value, null, indentOf(original)), 'utf8')
}
