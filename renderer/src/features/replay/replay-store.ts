import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineParams } from '../../../../shared/api/contract'
import { decodeBase64, encodeBase64 } from '../../../../shared/lib/base64'
import { decodeUtf8, encodeUtf8, isValidUtf8 } from '../../../../shared/lib/utf8'
import type { Delivery } from '../../../../shared/model/delivery'
import type { Attempt } from '../../../../shared/model/relay'
import { describeError } from '../../api/describe-error'
import type { ForwardingStore } from '../relay/forwarding-store'
import { headerLines, parseHeaderLines } from '../relay/rule-draft'

/** `as-is`: same bytes, same headers. `resigned`: fresh id, timestamp and signature. `edited`: headers and body as changed here. */
export type ReplayMode = 'as-is' | 'resigned' | 'edited'

export interface ReplayForm {
  /** `rule`: the target of the first forwarding rule of the delivery's endpoint that matches it. */
  targetKind: 'rule' | 'url'
  url: string
  mode: ReplayMode
  /** Keyring key to re-sign with (mode `resigned`, or `edited` with `resignEdited`). */
  keyId: string | null
  resignEdited: boolean
  headersText: string
  bodyText: string
}

export interface ReplayState {
  /** The delivery the dialog is open for; null when closed. */
  deliveryId: string | null
  delivery: Delivery | null
  /** The stored body is UTF-8 text, so it can be edited as text (binary bodies replay as-is or re-signed). */
  bodyEditable: boolean
  loadError: string | null
  form: ReplayForm
  sending: boolean
  /** The replay's attempt: the response, and the replay's own verdict. */
  result: Attempt | null
  error: string | null
  open(deliveryId: string): Promise<void>
  close(): void
  update(patch: Partial<ReplayForm>): void
  send(): Promise<void>
}

export type ReplayStore = StoreApi<ReplayState>

export const EMPTY_FORM: ReplayForm = {
  targetKind: 'url',
  url: 'http://127.0.0.1:3000/',
  mode: 'as-is',
  keyId: null,
  resignEdited: false,
  headersText: '',
  bodyText: ''
}

/** The `replay.send` params for a form, or what to fix first. */
export function replayParams(deliveryId: string, form: ReplayForm): { ok: true; params: EngineParams<'replay.send'> } | { ok: false; error: string } {
  const params: EngineParams<'replay.send'> = { deliveryId }
  if (form.targetKind === 'url') {
    const url = form.url.trim()
    if (!/^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(url)) return { ok: false, error: 'The target must be an http:// or https:// URL.' }
    params.to = url
  }
  const resign = form.mode === 'resigned' || (form.mode === 'edited' && form.resignEdited)
  if (resign) {
    if (!form.keyId) return { ok: false, error: 'Choose the keyring key to re-sign with.' }
    params.resignKeyId = form.keyId
  }
  if (form.mode === 'edited') {
    const headers = parseHeaderLines(form.headersText)
    if (!headers.ok) return { ok: false, error: `Headers, ${headers.error}.` }
    params.edit = { headers: headers.headers, bodyBase64: encodeBase64(encodeUtf8(form.bodyText)) }
  }
  return { ok: true, params }
}

/**
 * The Replay dialog: one delivery sent again, to its rule's target or any URL, as-is, re-signed or
 * edited (then optionally re-signed). The answer is awaited and shown with the replay's verdict.
 */
export function createReplayStore(client: EngineClient, deps: { forwarding: ForwardingStore }): ReplayStore {
  /** Each open() supersedes the previous one; answers for an older dialog are dropped. */
  let session = 0
  return createStore<ReplayState>()((set, get) => ({
    deliveryId: null,
    delivery: null,
    bodyEditable: false,
    loadError: null,
    form: EMPTY_FORM,
    sending: false,
    result: null,
    error: null,

    open: async (deliveryId) => {
      const mine = ++session
      set({
        deliveryId,
        delivery: null,
        bodyEditable: false,
        loadError: null,
        sending: false,
        result: null,
        error: null,
        form: { ...get().form, mode: 'as-is', headersText: '', bodyText: '' }
      })
      try {
        const delivery = await client.invoke('deliveries.get', { id: deliveryId })
        if (mine !== session) return
        const forwarding = deps.forwarding.getState()
        if (forwarding.byEndpoint[delivery.endpointId]?.status !== 'ready') await forwarding.load(delivery.endpointId)
        if (mine !== session) return
        const rules = deps.forwarding.getState().byEndpoint[delivery.endpointId]?.config?.rules ?? []
        const bytes = decodeBase64(delivery.bodyBase64)
        const bodyEditable = !delivery.truncated && isValidUtf8(bytes)
        set({
          delivery,
          bodyEditable,
          form: {
            ...get().form,
            targetKind: rules.some((rule) => rule.enabled) ? 'rule' : 'url',
            headersText: headerLines(delivery.headers),
            bodyText: bodyEditable ? decodeUtf8(bytes) : ''
          }
        })
      } catch (error) {
        if (mine === session) set({ loadError: describeError(error) })
      }
    },

    close: () => {
      session++
      set({ deliveryId: null, delivery: null, result: null, error: null, sending: false, loadError: null })
    },

    update: (patch) => set({ form: { ...get().form, ...patch } }),

    send: async () => {
      const { deliveryId, form } = get()
      if (!deliveryId) return
      const built = replayParams(deliveryId, form)
      if (!built.ok) {
        set({ error: built.error })
        return
      }
      const mine = session
      set({ sending: true, error: null, result: null })
      try {
        const result = await client.invoke('replay.send', built.params)
        if (mine === session) set({ result, sending: false })
      } catch (error) {
        if (mine === session) set({ error: describeError(error), sending: false })
      }
    }
  }))
}
