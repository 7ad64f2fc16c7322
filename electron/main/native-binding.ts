import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readNodeModuleAbis } from './native-abi'

/**
 * Where `npm start` (scripts/start-desktop.mjs) puts better-sqlite3 rebuilt for Electron. The
 * repo's own node_modules copy stays built for Node so the test suite keeps working.
 */
export const ELECTRON_NATIVE_DIR = '.electron-native'
export const ELECTRON_SQLITE_ADDON = join(ELECTRON_NATIVE_DIR, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')

export type NativeBindingLookup =
  | { kind: 'found'; path: string }
  /** No separate copy: a packaged app has node_modules rebuilt in place, so the default lookup applies. */
  | { kind: 'absent'; path: string }
  | { kind: 'wrong-abi'; path: string; abis: number[] }

/**
 * Finds the Electron build of better-sqlite3 under `appRoot`, and checks it was compiled for
 * this runtime's ABI before anyone loads it: a mismatch would otherwise surface as an opaque
 * NODE_MODULE_VERSION error from deep inside the store.
 */
export function findNativeBinding(appRoot: string, runtimeAbi: number): NativeBindingLookup {
  const path = join(appRoot, ELECTRON_SQLITE_ADDON)
  let binary: Buffer
  try {
    binary = readFileSync(path)
  } catch {
    return { kind: 'absent', path }
  }
  const abis = readNodeModuleAbis(binary)
  return abis.includes(runtimeAbi) ? { kind: 'found', path } : { kind: 'wrong-abi', path, abis }
}
