import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { createPreloadBridge, type IpcRendererLike } from '../../../electron/preload/create-bridge'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../shared/api/bridge'
import type { EngineEvent } from '../../../shared/api/contract'

type Listener = (event: unknown, ...args: unknown[]) => void

class FakeIpcRenderer implements IpcRendererLike {
  readonly listeners = new Map<string, Set<Listener>>()
  readonly invoke = vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: 42 }))
  on(channel: string, listener: Listener): this {
    const set = this.listeners.get(channel) ?? new Set()
    set.add(listener)
    this.listeners.set(channel, set)
    return this
  }
  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener)
    return this
  }
  emit(channel: string, ...args: unknown[]): void {
    const ipcRendererEvent = { sender: this, senderId: 0, ports: [] }
    for (const listener of this.listeners.get(channel) ?? []) listener(ipcRendererEvent, ...args)
  }
  count(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0
  }
}

describe('createPreloadBridge', () => {
  it('exposes exactly invoke and subscribe', () => {
    expect(Object.keys(createPreloadBridge(new FakeIpcRenderer())).sort()).toEqual(['invoke', 'subscribe'])
  })

  it('invoke goes over the invoke channel with method and params, and returns the WireResult', async () => {
    const ipc = new FakeIpcRenderer()
    const result = await createPreloadBridge(ipc).invoke('deliveries.get', { id: 'd1' })
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'deliveries.get', { id: 'd1' })
    expect(result).toEqual({ ok: true, value: 42 })
  })

  it('subscribe passes the payload only, never the IpcRendererEvent', () => {
    const ipc = new FakeIpcRenderer()
    const listener = vi.fn()
    createPreloadBridge(ipc).subscribe(listener)
    const event: EngineEvent = { type: 'endpoint.removed', id: 'ep-1' }
    ipc.emit(IPC_EVENT_CHANNEL, event)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(listener.mock.calls[0]).toEqual([event])
  })

  it('unsubscribe removes that listener only', () => {
    const ipc = new FakeIpcRenderer()
    const bridge = createPreloadBridge(ipc)
    const first = vi.fn()
    const second = vi.fn()
    const unsubscribeFirst = bridge.subscribe(first)
    bridge.subscribe(second)
    expect(ipc.count(IPC_EVENT_CHANNEL)).toBe(2)
    unsubscribeFirst()
    unsubscribeFirst()
    expect(ipc.count(IPC_EVENT_CHANNEL)).toBe(1)
    ipc.emit(IPC_EVENT_CHANNEL, { type: 'stream.reset' })
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledTimes(1)
  })

  it('refuses a non-function listener instead of registering it', () => {
    const ipc = new FakeIpcRenderer()
    expect(() => createPreloadBridge(ipc).subscribe('nope' as never)).toThrow(TypeError)
    expect(ipc.count(IPC_EVENT_CHANNEL)).toBe(0)
  })
})

describe('preload sources', () => {
  // A sandboxed preload can only require 'electron'; everything else must be bundled, and only
  // our own pure modules may be. Check the sources so a stray import fails here, not at runtime.
  const importsOf = (file: string) =>
    [...readFileSync(new URL(`../../../electron/preload/${file}`, import.meta.url), 'utf8').matchAll(/from\s+'([^']+)'/g)].map((match) => match[1])

  it('index.ts imports only electron and the local bridge factory', () => {
    expect(importsOf('index.ts').sort()).toEqual(['./create-bridge', 'electron'])
  })

  it('create-bridge.ts imports only shared/api', () => {
    for (const specifier of importsOf('create-bridge.ts')) expect(specifier).toMatch(/^\.\.\/\.\.\/shared\/api\//)
  })
})
