import type { EventTemplate } from '../../../shared/model/relay'
import { findTemplate, renderTemplate, templateInfos, templatesFor } from '../sign/templates'

/**
 * Bodies for the test sender, from the signing module's templates (provider-shaped events per
 * scheme, and the `test.webhook-event` every scheme can send). Injected, so tests can use others.
 */
export interface EventTemplates {
  list(scheme?: string): EventTemplate[]
  /** A template id (`stripe.invoice.paid`) or an event name of the scheme (`invoice.paid`); the scheme's test event when omitted. */
  render(idOrEvent: string | undefined, scheme: string, context: { now: number; newId: string }): RenderedTemplate | null
}

export interface RenderedTemplate {
  id: string
  headers: [string, string][]
  body: Buffer
  /** Envelope schemes: what to seal (SignInput.plaintext). */
  plaintext?: Buffer
}

export const providerTemplates: EventTemplates = {
  list: (scheme) => templateInfos(scheme),
  render(idOrEvent, scheme, context) {
    const template = idOrEvent === undefined ? templatesFor(scheme).find((candidate) => candidate.test) : findTemplate(idOrEvent, scheme)
    if (!template) return null
    return { id: template.id, ...renderTemplate(template, context) }
  }
}
