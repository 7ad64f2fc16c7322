import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tsImpl from '../../../electron/main/native-abi'
import { ELECTRON_SQLITE_ADDON, findNativeBinding } from '../../../electron/main/native-binding'
import * as scriptImpl from '../../../scripts/lib/native-abi.mjs'

const require = createRequire(import.meta.url)
// The addon npm built for this Node (tests always run under Node, never Electron).
const nodeAddonPath = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node')
const NODE_ABI = Number(process.versions.modules)
const ELECTRON_45_ABI = 150

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'))

describe.each([
  ['electron/main/native-abi.ts', tsImpl],
  ['scripts/lib/native-abi.mjs', scriptImpl]
])('%s', (_name, impl) => {
  it("reports the real Node-built better-sqlite3 as Node's ABI, not Electron's", () => {
    const binary = readFileSync(nodeAddonPath)
    expect(NODE_ABI).toBe(115)
    expect(impl.readNodeModuleAbis(binary)).toEqual([NODE_ABI])
    expect(impl.hasNodeModuleAbi(binary, NODE_ABI)).toBe(true)
    expect(impl.hasNodeModuleAbi(binary, ELECTRON_45_ABI)).toBe(false)
  })

  it('reads the whole number, not a prefix of it', () => {
    const v1150 = ascii('\0\0node_register_module_v1150\0')
    expect(impl.hasNodeModuleAbi(v1150, 115)).toBe(false)
    expect(impl.hasNodeModuleAbi(v1150, 150)).toBe(false)
    expect(impl.hasNodeModuleAbi(v1150, 1150)).toBe(true)
    expect(impl.hasNodeModuleAbi(ascii('node_register_module_v15\0'), 150)).toBe(false)
  })

  it('finds the symbol inside a binary-looking buffer, at an offset view', () => {
    const bytes = new Uint8Array(4096).fill(0xff)
    bytes.set(ascii('node_register_module_v150'), 3000)
    const view = bytes.subarray(2000)
    expect(impl.readNodeModuleAbis(view)).toEqual([150])
    expect(impl.readNodeModuleAbis(bytes.subarray(0, 3010))).toEqual([])
  })

  it('reports nothing for an N-API addon or random bytes', () => {
    expect(impl.readNodeModuleAbis(ascii('napi_register_module_v1'))).toEqual([])
    expect(impl.readNodeModuleAbis(new Uint8Array(0))).toEqual([])
  })
})

describe('findNativeBinding', () => {
  let appRoot: string
  beforeAll(() => {
    appRoot = mkdtempSync(join(tmpdir(), 'hookscope-native-'))
  })
  afterAll(() => rmSync(appRoot, { recursive: true, force: true }))

  it('is absent when npm start has not built a copy', () => {
    expect(findNativeBinding(appRoot, ELECTRON_45_ABI)).toEqual({
      kind: 'absent',
      path: join(appRoot, ELECTRON_SQLITE_ADDON)
    })
  })

  it('refuses a Node-built addon for Electron, and accepts it for its own ABI', () => {
    const target = join(appRoot, ELECTRON_SQLITE_ADDON)
    mkdirSync(dirname(target), { recursive: true })
    copyFileSync(nodeAddonPath, target)
    expect(findNativeBinding(appRoot, ELECTRON_45_ABI)).toEqual({ kind: 'wrong-abi', path: target, abis: [NODE_ABI] })
    expect(findNativeBinding(appRoot, NODE_ABI)).toEqual({ kind: 'found', path: target })
  })

  it('accepts an addon that registers for the runtime ABI', () => {
    const target = join(appRoot, ELECTRON_SQLITE_ADDON)
    writeFileSync(target, Buffer.from('\x7fELF....node_register_module_v150\0', 'latin1'))
    expect(findNativeBinding(appRoot, ELECTRON_45_ABI)).toEqual({ kind: 'found', path: target })
  })
})
