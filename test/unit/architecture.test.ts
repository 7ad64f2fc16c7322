import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The layering rules, checked on every import statement in the tree:
 * - electron/engine and electron/cli run in plain Node: no 'electron', nothing from electron/main.
 * - shared/ is loaded by Node and by the browser: no node:*, no electron, no react, no better-sqlite3.
 * - renderer/ talks to the engine only through shared/: no electron, no Node modules, no engine code.
 */
const root = resolve(__dirname, '..', '..')

function sourceFiles(dir: string): string[] {
  const full = join(root, dir)
  let entries: string[]
  try {
    entries = readdirSync(full)
  } catch {
    return []
  }
  return entries.flatMap((name) => {
    const path = join(full, name)
    if (statSync(path).isDirectory()) return sourceFiles(relative(root, path))
    return /\.(ts|tsx|mts)$/.test(name) ? [path] : []
  })
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const found: string[] = []
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm
  for (const match of text.matchAll(pattern)) found.push((match[1] ?? match[2] ?? match[3] ?? match[4])!)
  return found
}

function violations(dir: string, isForbidden: (specifier: string, resolved: string | null) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((specifier) => {
        const resolvedPath = specifier.startsWith('.') ? relative(root, resolve(dirname(file), specifier)) : null
        return isForbidden(specifier, resolvedPath)
      })
      .map((specifier) => `${relative(root, file)} imports ${specifier}`)
  )
}

const NODE_BUILTIN = /^(node:|fs$|path$|http$|https$|net$|tls$|crypto$|os$|child_process$|stream$|url$|util$|events$|buffer$|zlib$|worker_threads$)/

describe('architecture', () => {
  it('finds the source it polices (guards against a silently empty scan)', () => {
    expect(sourceFiles('electron/engine').length).toBeGreaterThan(10)
    expect(sourceFiles('shared').length).toBeGreaterThan(3)
    expect(importsOf(join(root, 'electron/engine/index.ts')).length).toBeGreaterThan(3)
  })

  it('keeps Electron out of the engine and the CLI', () => {
    const forbidden = (specifier: string, resolvedPath: string | null) =>
      specifier === 'electron' || specifier.startsWith('electron/') || (resolvedPath?.startsWith('electron/main') ?? false)
    expect([...violations('electron/engine', forbidden), ...violations('electron/cli', forbidden)]).toEqual([])
  })

  it('keeps shared/ free of Node, Electron and React', () => {
    const forbidden = (specifier: string, resolvedPath: string | null) =>
      NODE_BUILTIN.test(specifier) ||
      ['electron', 'react', 'react-dom', 'better-sqlite3', 'ws', 'zustand'].includes(specifier) ||
      (resolvedPath !== null && !resolvedPath.startsWith('shared'))
    expect(violations('shared', forbidden)).toEqual([])
  })

  it('keeps the engine layered: the store knows nothing of verification, verification nothing of the store or exports', () => {
    const into = (folder: string) => (_specifier: string, resolvedPath: string | null) => resolvedPath?.startsWith(folder) ?? false
    expect(violations('electron/engine/store', into('electron/engine/verify'))).toEqual([])
    expect(violations('electron/engine/store', into('electron/engine/capture'))).toEqual([])
    expect(violations('electron/engine/verify', into('electron/engine/store'))).toEqual([])
    expect(violations('electron/engine/verify', into('electron/engine/export'))).toEqual([])
  })

  it('lets the renderer reach the engine only through shared/', () => {
    const forbidden = (specifier: string, resolvedPath: string | null) =>
      NODE_BUILTIN.test(specifier) ||
      specifier === 'electron' ||
      specifier === 'better-sqlite3' ||
      (resolvedPath !== null && !resolvedPath.startsWith('renderer') && !resolvedPath.startsWith('shared'))
    expect(violations('renderer', forbidden)).toEqual([])
  })
})
