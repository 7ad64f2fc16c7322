import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, sep } from 'node:path'
import { hasNodeModuleAbi, readNodeModuleAbis } from './native-abi.mjs'
import { HEADLESS_HINT, StartError } from './start-error.mjs'

// The repo's node_modules keeps better-sqlite3 built for Node, so `npm test` works. Electron
// needs its own build (Electron 45 = ABI 150, Node 20 = ABI 115), which lives in a separate,
// gitignored copy; the main process passes it to better-sqlite3 as `nativeBinding`.
// Keep these paths in sync with electron/main/native-binding.ts.
export const NATIVE_DIR = '.electron-native'
const ADDON = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

/** node-gyp takes npm's `nodedir` (~/.npmrc here sets /usr) over `--target`, and would quietly build for Node. */
function withoutNodedir(env) {
  const clean = { ...env }
  for (const key of Object.keys(clean)) if (key.toLowerCase() === 'npm_config_nodedir') delete clean[key]
  return clean
}

function isCurrent(nativeDir, want) {
  const stamp = readJson(join(nativeDir, 'stamp.json'))
  if (!stamp || Object.keys(want).some((key) => stamp[key] !== want[key])) return false
  const addon = join(nativeDir, ADDON)
  return existsSync(addon) && hasNodeModuleAbi(readFileSync(addon), want.abi)
}

/** Loads the addon inside Electron (run as Node) with the same better-sqlite3 JS the engine uses. */
function loadInElectron(electronBinary, sqliteDir, addon) {
  const code = [
    `const Database = require(${JSON.stringify(sqliteDir)})`,
    `const db = new Database(':memory:', { nativeBinding: ${JSON.stringify(addon)} })`,
    `db.prepare('select 1').get()`,
    'db.close()'
  ].join(';')
  const probe = spawnSync(electronBinary, ['-e', code], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000
  })
  if (probe.status !== 0) {
    throw new StartError('The Electron build of better-sqlite3 does not load in Electron.', [
      String(probe.stderr || probe.error || '')
        .trim()
        .split('\n')
        .slice(0, 5)
        .join('\n'),
      `Delete ${NATIVE_DIR}/ and run \`npm start\` again.`
    ])
  }
}

/**
 * Makes sure `.electron-native/` holds better-sqlite3 built for this Electron, building it when
 * the stamp (electron + better-sqlite3 versions, ABI, platform, arch) does not match. Returns
 * the addon path.
 */
export async function ensureElectronSqlite({ root, electronVersion, electronBinary, abi }) {
  const require = createRequire(join(root, 'package.json'))
  const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'))
  const sqliteVersion = readJson(join(sqliteDir, 'package.json')).version
  const nativeDir = join(root, NATIVE_DIR)
  const addon = join(nativeDir, ADDON)
  const want = { electron: electronVersion, betterSqlite3: sqliteVersion, abi, platform: process.platform, arch: process.arch }
  if (isCurrent(nativeDir, want)) return addon

  console.log(
    `hookscope: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (ABI ${abi}) into ${NATIVE_DIR}/ ` +
      '(first run only; compiling from source can take a few minutes)...'
  )
  rmSync(nativeDir, { recursive: true, force: true })
  const copyDir = join(nativeDir, 'node_modules', 'better-sqlite3')
  mkdirSync(copyDir, { recursive: true })
  // @electron/rebuild finds what to build from this package.json's dependencies.
  writeFileSync(
    join(nativeDir, 'package.json'),
    JSON.stringify({ name: 'hookscope-electron-native', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }, null, 2)
  )
  // Sources only: the Node build output must not be mistaken for (or mixed into) the Electron one.
  cpSync(sqliteDir, copyDir, {
    recursive: true,
    filter: (source) => {
      const rel = relative(sqliteDir, source)
      return !['build', 'prebuilds', 'node_modules'].some((skip) => rel === skip || rel.startsWith(skip + sep))
    }
  })

  const savedEnv = process.env
  process.env = withoutNodedir(savedEnv)
  try {
    const { rebuild } = await import('@electron/rebuild')
    await rebuild({
      buildPath: nativeDir,
      // Without this the module search climbs to the repo's package.json and would rebuild
      // the repo's own node_modules/better-sqlite3 for Electron, breaking `npm test`.
      projectRootPath: nativeDir,
      electronVersion,
      force: true,
      onlyModules: ['better-sqlite3'],
      mode: 'sequential'
    })
  } catch (error) {
    throw new StartError('Could not build better-sqlite3 for Electron.', [
      String(error instanceof Error ? error.message : error).split('\n')[0],
      'The first build downloads a prebuilt binary or Electron headers, so it needs network access; ' +
        'compiling from source also needs python3, make and a C++ compiler.',
      HEADLESS_HINT
    ])
  } finally {
    process.env = savedEnv
  }

  const built = existsSync(addon) ? readNodeModuleAbis(readFileSync(addon)) : []
  if (!built.includes(abi)) {
    throw new StartError(`The rebuilt better-sqlite3 registers ABI ${built.join(', ') || 'none'}, but Electron ${electronVersion} needs ABI ${abi}.`, [
      'A `nodedir` setting (npm config or npm_config_nodedir) makes node-gyp build for Node instead; remove it and retry.'
    ])
  }
  loadInElectron(electronBinary, sqliteDir, addon)
  writeFileSync(join(nativeDir, 'stamp.json'), JSON.stringify(want, null, 2) + '\n')
  return addon
}
