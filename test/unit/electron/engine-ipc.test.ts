import { describe, expect, it, vi } from 'vitest'
import { createBroadcast, type WebContentsLike } from '../../../electron/main/broadcast'
import { bindEngineIpc, type IpcInvokeEventLike, type IpcMainLike } from '../../../electron/main/engine-ipc'
import { createTrustedUrlCheck } from '../../../electron/main/trusted-origin'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../shared/api/bridge'
import type { EngineEvent } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>()
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  call(event: IpcInvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(IPC_INVOKE_CHANNEL)
    if (!handler) throw new Error('no handler')
    return Promise.resolve(handler(event, ...args))
  }
}

function fakeEngine(invoke: (method: string, params: unknown) => Promise<unknown>) {
  const listeners = new Set<(event: EngineEvent) => void>()
  return {
    invoke: vi.fn(invoke),
    subscribe: vi.fn((listener: (event: EngineEvent) => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }),
    emit: (event: EngineEvent) => {
      for (const listener of listeners) listener(event)
    },
    listenerCount: () => listeners.size
  }
}

const isTrusted = createTrustedUrlCheck(['app://hookscope'])
const trusted: IpcInvokeEventLike = { senderFrame: { url: 'app://hookscope/index.html' } }

function setup(invoke: (method: string, params: unknown) => Promise<unknown> = async () => 'value') {
  const ipc = new FakeIpcMain()
  const engine = fakeEngine(invoke)
  const broadcast = vi.fn()
  const logger = { warn: vi.fn(), error: vi.fn() }
  const unbind = bindEngineIpc(ipc, engine, isTrusted, broadcast, logger)
  return { ipc, engine, broadcast, logger, unbind }
}

describe('bindEngineIpc', () => {
  it('registers exactly one handler, on the invoke channel', () => {
    const { ipc } = setup()
    expect([...ipc.handlers.keys()]).toEqual([IPC_INVOKE_CHANNEL])
  })

  it.each([
    ['a foreign origin', { senderFrame: { url: 'https://evil.example/index.html' } }],
    ['a look-alike host', { senderFrame: { url: 'app://hookscope.evil/index.html' } }],
    ['a file: page', { senderFrame: { url: 'file:///tmp/index.html' } }],
    ['a missing frame', { senderFrame: null }],
    ['a frame without url', { senderFrame: {} }],
    ['no senderFrame at all', {}]
  ])('answers FORBIDDEN to %s without calling the engine', async (_label, event) => {
    const { ipc, engine } = setup()
    const result = await ipc.call(event as IpcInvokeEventLike, 'app.info', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(engine.invoke).not.toHaveBeenCalled()
  })

  it('treats a senderFrame that throws on access (destroyed frame) as untrusted', async () => {
    const { ipc, engine } = setup()
    const event = {
      get senderFrame(): { url: string } {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed')
      }
    }
    await expect(ipc.call(event, 'app.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(engine.invoke).not.toHaveBeenCalled()
  })

  it('forwards a trusted call to the engine and wraps the value', async () => {
    const { ipc, engine } = setup(async () => ({ items: [], nextCursor: null }))
    const params = { limit: 5 }
    const result = await ipc.call(trusted, 'deliveries.list', params)
    expect(engine.invoke).toHaveBeenCalledWith('deliveries.list', params)
    expect(result).toEqual({ ok: true, value: { items: [], nextCursor: null } })
  })

  it('turns an EngineError into a failure value with its code and message', async () => {
    const { ipc } = setup(async () => {
      throw new EngineError('BAD_INPUT', 'limit: too big')
    })
    await expect(ipc.call(trusted, 'deliveries.list', { limit: 1e9 })).resolves.toEqual({
      ok: false,
      error: { code: 'BAD_INPUT', message: 'limit: too big' }
    })
  })

  it('turns any other error into INTERNAL without leaking its message, and logs it', async () => {
    const { ipc, logger } = setup(async () => {
      throw new Error('SQLITE_CORRUPT at /home/alice/secret/hookscope.db')
    })
    const result = await ipc.call(trusted, 'app.info', {})
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(result)).not.toMatch(/SQLITE|alice/)
    expect(logger.error).toHaveBeenCalledTimes(1)
  })

  it('resolves (never rejects) even when the engine throws a non-Error', async () => {
    const { ipc } = setup(() => Promise.reject('boom'))
    await expect(ipc.call(trusted, 'app.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
  })

  it('refuses a non-string method as BAD_INPUT before reaching the engine', async () => {
    const { ipc, engine } = setup()
    await expect(ipc.call(trusted, { toString: () => 'app.info' }, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' }
    })
    expect(engine.invoke).not.toHaveBeenCalled()
  })

  it('forwards engine events on the event channel', () => {
    const { engine, broadcast } = setup()
    const event: EngineEvent = { type: 'deliveries.cleared', endpointId: null }
    engine.emit(event)
    expect(broadcast).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, event)
  })

  it('unbind removes the handler and the event subscription, once', () => {
    const { ipc, engine, broadcast, unbind } = setup()
    expect(engine.listenerCount()).toBe(1)
    unbind()
    unbind()
    expect(ipc.handlers.size).toBe(0)
    expect(engine.listenerCount()).toBe(0)
    engine.emit({ type: 'stream.reset' })
    expect(broadcast).not.toHaveBeenCalled()
    // A fresh bind works again (no stale handler left behind).
    expect(() => bindEngineIpc(ipc, engine, isTrusted, broadcast)).not.toThrow()
  })
})

function fakeContents(url: string, destroyed = false) {
  const send = vi.fn<(channel: string, ...args: unknown[]) => void>()
  const contents: WebContentsLike = { isDestroyed: () => destroyed, getURL: () => url, send }
  return Object.assign(contents, { send })
}

describe('createBroadcast', () => {
  const event: EngineEvent = { type: 'endpoint.removed', id: 'ep-1' }

  it('sends to live renderers on a trusted origin only', () => {
    const live = fakeContents('app://hookscope/index.html')
    const destroyed = fakeContents('app://hookscope/index.html', true)
    const devtools = fakeContents('devtools://devtools/bundled/inspector.html')
    createBroadcast(() => [live, destroyed, devtools], isTrusted)(IPC_EVENT_CHANNEL, event)
    expect(live.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, event)
    expect(destroyed.send).not.toHaveBeenCalled()
    expect(devtools.send).not.toHaveBeenCalled()
  })

  it('keeps going when one send throws', () => {
    const failing = fakeContents('app://hookscope/index.html')
    failing.send.mockImplementation(() => {
      throw new Error('Object has been destroyed')
    })
    const next = fakeContents('app://hookscope/')
    const logger = { warn: vi.fn() }
    const broadcast = createBroadcast(() => [failing, next], isTrusted, logger)
    expect(() => broadcast(IPC_EVENT_CHANNEL, event)).not.toThrow()
    expect(next.send).toHaveBeenCalledTimes(1)
    expect(logger.warn).toHaveBeenCalledTimes(1)
  })
})
