#!/usr/bin/env node
// `npm start`: run the desktop app from source on a normal (online) machine.
//   1. make sure the Electron binary is installed (Electron 45 has no postinstall download);
//   2. make sure .electron-native/ holds better-sqlite3 built for Electron's ABI (node_modules
//      stays built for Node, which the tests use);
//   3. electron-vite build, then launch Electron on the build, forwarding its exit code.
// Arguments after `npm start --` go to Electron.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronPackage, electronRuntimeAbi, ensureElectronBinary } from './lib/electron-binary.mjs'
import { ensureElectronSqlite } from './lib/electron-sqlite.mjs'
import { StartError } from './lib/start-error.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

function electronViteBin() {
  const require = createRequire(join(root, 'package.json'))
  const pkgPath = require.resolve('electron-vite/package.json')
  const bin = JSON.parse(readFileSync(pkgPath, 'utf8')).bin
  return join(dirname(pkgPath), typeof bin === 'string' ? bin : bin['electron-vite'])
}

function build() {
  // Run the bin through this Node rather than a shell shim, so it behaves the same on Windows.
  const result = spawnSync(process.execPath, [electronViteBin(), 'build'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) throw new StartError('`electron-vite build` failed (see above).')
}

/** Runs Electron on the build and resolves with the exit code to pass on. */
function launch(binary, args) {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE
  const child = spawn(binary, ['.', ...args], { cwd: root, stdio: 'inherit', env })
  // Ctrl-C reaches Electron too (same process group); forward the rest and let it quit cleanly.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.exitCode === null && child.kill(signal))
  return new Promise((resolvePromise) => {
    child.on('error', (error) => {
      console.error(`hookscope: could not launch Electron: ${error.message}`)
      resolvePromise(1)
    })
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)))
  })
}

async function main() {
  const { binary, version } = ensureElectronBinary(root)
  const abi = electronRuntimeAbi(binary, electronPackage(root).dir)
  await ensureElectronSqlite({ root, electronVersion: version, electronBinary: binary, abi })
  build()
  return launch(binary, process.argv.slice(2))
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof StartError) {
      console.error(`\nhookscope: ${error.message}`)
      for (const hint of error.hints.filter(Boolean)) console.error(`  ${hint.replace(/\n/g, '\n  ')}`)
    } else {
      console.error(error)
    }
    process.exit(1)
  }
)
