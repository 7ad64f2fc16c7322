import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { HEADLESS_HINT, StartError } from './start-error.mjs'

// Electron 45's package has no postinstall: `npm ci` leaves the binary out, and the first
// `require('electron')` downloads it (and throws when it cannot). We never require it here;
// we read the same path.txt its index.js reads, and run its install.js ourselves when needed.

/** @param {string} root @returns {{ dir: string, version: string }} */
export function electronPackage(root) {
  const dir = join(root, 'node_modules', 'electron')
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  return { dir, version: pkg.version }
}

/** The Electron executable if it is installed and matches the package version, else null. */
export function findElectronBinary(electronDir, version) {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const relative = readFileSync(pathFile, 'utf8').trim()
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) return join(override, relative || 'electron')
  const binary = join(electronDir, 'dist', relative)
  let installed = ''
  try {
    installed = readFileSync(join(electronDir, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '')
  } catch {
    return null
  }
  return installed === version && existsSync(binary) ? binary : null
}

/** Returns the Electron executable, downloading it (once) with the package's own installer. */
export function ensureElectronBinary(root) {
  const { dir, version } = electronPackage(root)
  const present = findElectronBinary(dir, version)
  if (present) return { binary: present, version }

  console.log(`hookscope: downloading the Electron ${version} binary (first run only)...`)
  const install = spawnSync(process.execPath, [join(dir, 'install.js')], { cwd: dir, stdio: 'inherit' })
  const binary = install.status === 0 ? findElectronBinary(dir, version) : null
  if (!binary) {
    throw new StartError(`The Electron ${version} binary could not be downloaded, so the desktop app cannot start.`, [
      'It is fetched from GitHub on first start: check the network connection or proxy (ELECTRON_MIRROR is honoured), then run `npm start` again.',
      HEADLESS_HINT
    ])
  }
  return { binary, version }
}

/**
 * The ABI the Electron binary reports for itself (`process.versions.modules`), or null when it
 * cannot be asked (run-as-node disabled). The package's abi_version file is the fallback.
 */
export function electronRuntimeAbi(binary, electronDir) {
  const probe = spawnSync(binary, ['-p', 'process.versions.modules'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000
  })
  const reported = Number.parseInt(String(probe.stdout ?? '').trim(), 10)
  if (probe.status === 0 && Number.isInteger(reported)) return reported
  const declared = Number.parseInt(readFileSync(join(electronDir, 'abi_version'), 'utf8').trim(), 10)
  if (Number.isInteger(declared)) return declared
  throw new StartError('Could not tell which native-module ABI this Electron uses.')
}
