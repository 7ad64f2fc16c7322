import { allSchemes } from '../../verify/registry'
import type { EventTemplate, TemplateContext } from './event-template'
import { testEvent } from './event-template'
import { providerTemplates } from './provider-templates'

export type { EventTemplate, TemplateContext } from './event-template'

/** A template's description, for pickers (no rendering). */
export interface TemplateInfo {
  id: string
  scheme: string
  event: string
  label: string
  test: boolean
}

/** The templates for a scheme: its provider events, then the generic test event unless it has its own test event. */
export function templatesFor(scheme: string): EventTemplate[] {
  const own = providerTemplates.filter((template) => template.scheme === scheme)
  return own.some((template) => template.test) ? own : [...own, testEvent(scheme)]
}

export function allTemplates(): EventTemplate[] {
  return allSchemes.flatMap((scheme) => templatesFor(scheme.id))
}

export function templateInfos(scheme?: string): TemplateInfo[] {
  return (scheme ? templatesFor(scheme) : allTemplates()).map(({ id, scheme: of, event, label, test }) => ({ id, scheme: of, event, label, test }))
}

/** Finds a template by id (`stripe.invoice.paid`), or by event name within a scheme (`send --event invoice.paid`). */
export function findTemplate(idOrEvent: string, scheme?: string): EventTemplate | undefined {
  const pool = scheme ? templatesFor(scheme) : allTemplates()
  return pool.find((template) => template.id === idOrEvent) ?? pool.find((template) => template.event === idOrEvent)
}

/** Headers, body and (for envelope schemes) the plaintext to seal: ready for SignInput. */
export function renderTemplate(template: EventTemplate, context: TemplateContext): { headers: [string, string][]; body: Buffer; plaintext?: Buffer } {
  const rendered = template.render(context)
  const plaintext = template.plaintext?.(context)
  return {
    headers: rendered.headers.map(([name, value]): [string, string] => [name, value]),
    body: Buffer.from(rendered.body, 'utf8'),
    ...(plaintext !== undefined ? { plaintext: Buffer.from(plaintext, 'utf8') } : {})
  }
}
