import type { RawHeader } from '../../../../shared/model/delivery'
import { type EventTemplate, testEvent } from './event-template'
import { providerTemplates } from './provider-templates'

/**
 * The templates in the shape the relay's test sender lists and renders them (its EventTemplates
 * seam, electron/engine/relay/event-templates.ts on the relay branch): one generic test event
 * for any scheme, then every provider event under its `<scheme>.<event>` id. Rendering also gives
 * the provider's own headers (X-GitHub-Event...) and, for envelope schemes, the plaintext to seal
 * (SignInput.plaintext): the sender should pass both on.
 */
export const TEST_EVENT_ID = 'test.webhook-event'

export interface SenderTemplateInfo {
  id: string
  label: string
  /** Schemes whose providers send this event; empty = any. */
  schemes: string[]
  contentType: string
}

export interface RenderedTemplate {
  body: Buffer
  contentType: string
  headers: RawHeader[]
  plaintext?: Buffer
}

function contentTypeOf(template: EventTemplate): string {
  return template.render({ now: 0, newId: 'x' }).headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? 'application/json'
}

export const senderTemplates = {
  list(): SenderTemplateInfo[] {
    const generic = testEvent('any')
    return [
      { id: TEST_EVENT_ID, label: generic.label, schemes: [], contentType: contentTypeOf(generic) },
      ...providerTemplates.map((template) => ({ id: template.id, label: template.label, schemes: [template.scheme], contentType: contentTypeOf(template) }))
    ]
  },
  /** `eventId` is the fresh id the template's event ids derive from; `scheme` picks the generic test event's flavour. */
  render(id: string, context: { now: number; eventId: string; scheme: string }): RenderedTemplate | null {
    const template = id === TEST_EVENT_ID ? testEvent(context.scheme) : providerTemplates.find((candidate) => candidate.id === id)
    if (!template) return null
    const rendered = template.render({ now: context.now, newId: context.eventId })
    const plaintext = template.plaintext?.({ now: context.now, newId: context.eventId })
    const contentType = rendered.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? 'application/json'
    return {
      body: Buffer.from(rendered.body, 'utf8'),
      contentType,
      headers: rendered.headers.filter(([name]) => name.toLowerCase() !== 'content-type'),
      ...(plaintext !== undefined ? { plaintext: Buffer.from(plaintext, 'utf8') } : {})
    }
  }
}
