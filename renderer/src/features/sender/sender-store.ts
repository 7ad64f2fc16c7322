import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent, EngineParams } from '../../../../shared/api/contract'
import { encodeBase64 } from '../../../../shared/lib/base64'
import { encodeUtf8 } from '../../../../shared/lib/utf8'
import type { Attempt, AttemptBatch, AttemptSummary, EventTemplate } from '../../../../shared/model/relay'
import { describeError } from '../../api/describe-error'
import type { LoadStatus } from '../../stores/deliveries-store'
import { summaryOfAttempt } from '../relay/attempt-format'
import { parseHeaderLines } from '../relay/rule-draft'

export interface SenderForm {
  url: string
  keyId: string | null
  /** A template id; null: the key's scheme's test event. Ignored when `customBody`. */
  templateId: string | null
  customBody: boolean
  bodyText: string
  /** Extra `Name: value` lines, added to the template's headers. */
  headersText: string
  count: string
  intervalMs: string
}

export interface SenderState {
  form: SenderForm
  templates: readonly EventTemplate[]
  templatesStatus: LoadStatus
  sending: boolean
  error: string | null
  /** The current run's sends, newest first, live while it runs (each is an attempt). */
  results: readonly AttemptSummary[]
  /** Whole attempts of the last run (request as sent, response), once it has finished. */
  finished: Readonly<Record<string, Attempt>>
  batch: AttemptBatch | null
  loadTemplates(): Promise<void>
  update(patch: Partial<SenderForm>): void
  send(scheme: string | undefined): Promise<void>
  handleEvent(event: EngineEvent): void
}

export type SenderStore = StoreApi<SenderState>

export const DEFAULT_SENDER_FORM: SenderForm = {
  url: 'http://127.0.0.1:8080/',
  keyId: null,
  templateId: null,
  customBody: false,
  bodyText: '{\n  "type": "test.webhook-event"\n}\n',
  headersText: '',
  count: '1',
  intervalMs: '1000'
}

/** The `sender.send` params for a form, or what to fix first. */
export function senderParams(form: SenderForm, scheme: string | undefined): { ok: true; params: EngineParams<'sender.send'> } | { ok: false; error: string } {
  const url = form.url.trim()
  if (!/^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(url)) return { ok: false, error: 'The URL must be an http:// or https:// URL.' }
  if (!form.keyId) return { ok: false, error: 'Choose the keyring key to sign with.' }
  const count = Number(form.count)
  if (!Number.isInteger(count) || count < 1 || count > 1000) return { ok: false, error: 'Repeat: a whole number from 1 to 1000.' }
  const interval = Number(form.intervalMs)
  if (!Number.isInteger(interval) || interval < 0 || interval > 3_600_000) return { ok: false, error: 'Interval: milliseconds, from 0 to 3600000.' }
  const headers = parseHeaderLines(form.headersText)
  if (!headers.ok) return { ok: false, error: `Headers, ${headers.error}.` }
  const params: EngineParams<'sender.send'> = { url, keyId: form.keyId, count, intervalMs: interval }
  if (scheme) params.scheme = scheme
  if (headers.headers.length > 0) params.headers = headers.headers
  if (form.customBody) params.bodyBase64 = encodeBase64(encodeUtf8(form.bodyText))
  else if (form.templateId) params.event = form.templateId
  return { ok: true, params }
}

/**
 * The Sender page: signed test events without a provider. A run of N sends resolves when all are
 * sent; meanwhile each send arrives as `attempt.*` events (kind `send`), shown as it happens.
 */
export function createSenderStore(client: EngineClient): SenderStore {
  /** Attempts of the run in flight are those that appear while it runs (the sender sends one run at a time from here). */
  let running = false
  return createStore<SenderState>()((set, get) => ({
    form: DEFAULT_SENDER_FORM,
    templates: [],
    templatesStatus: 'idle',
    sending: false,
    error: null,
    results: [],
    finished: {},
    batch: null,

    loadTemplates: async () => {
      set({ templatesStatus: 'loading' })
      try {
        set({ templates: await client.invoke('sender.templates', {}), templatesStatus: 'ready' })
      } catch (error) {
        set({ templatesStatus: 'error', error: describeError(error) })
      }
    },

    update: (patch) => set({ form: { ...get().form, ...patch } }),

    send: async (scheme) => {
      const built = senderParams(get().form, scheme)
      if (!built.ok) {
        set({ error: built.error })
        return
      }
      running = true
      set({ sending: true, error: null, results: [], finished: {}, batch: null })
      try {
        const { batch, attempts } = await client.invoke('sender.send', built.params)
        const results = [...attempts].reverse().map(summaryOfAttempt)
        set({ batch, results, finished: Object.fromEntries(attempts.map((attempt) => [attempt.id, attempt])) })
      } catch (error) {
        set({ error: describeError(error) })
      } finally {
        running = false
        set({ sending: false })
      }
    },

    handleEvent: (event) => {
      if (!running) return
      if ((event.type === 'attempt.added' || event.type === 'attempt.updated') && event.attempt.kind === 'send') {
        const results = get().results
        const index = results.findIndex((item) => item.id === event.attempt.id)
        set({ results: index < 0 ? [event.attempt, ...results] : results.with(index, event.attempt) })
      } else if (event.type === 'batch.progress' && event.batch.kind === 'send') {
        set({ batch: event.batch })
      }
    }
  }))
}
