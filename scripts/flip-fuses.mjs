// Packaging step: `npm run fuses -- <path to the packaged Electron executable, or the .app on macOS>`.
// Run it on the packaged app (Electron binary renamed, app.asar in resources/) before signing it:
// it flips the fuses of scripts/lib/fuse-config.mjs in place, reads them back and fails on a mismatch.
import { FuseV1Options, flipFuses, getCurrentFuseWire } from '@electron/fuses'
import { HOOKSCOPE_FUSES } from './lib/fuse-config.mjs'

/** The wire stores a fuse as ASCII '1' (on) or '0' (off). */
const ENABLE = 0x31
const DISABLE = 0x30

const target = process.argv[2]
if (!target) {
  console.error('usage: npm run fuses -- <path to the packaged Electron executable or .app>')
  process.exit(2)
}
await flipFuses(target, { ...HOOKSCOPE_FUSES, resetAdHocDarwinSignature: process.platform === 'darwin' && process.arch === 'arm64' })
const wire = await getCurrentFuseWire(target)
const wrong = Object.entries(HOOKSCOPE_FUSES)
  .filter(([option]) => option !== 'version')
  .filter(([option, enabled]) => wire[option] !== (enabled ? ENABLE : DISABLE))
  .map(([option]) => FuseV1Options[option])
if (wrong.length > 0) {
  console.error(`fuses: not set in ${target}: ${wrong.join(', ')}`)
  process.exit(1)
}
console.log(`fuses: set in ${target}`)
