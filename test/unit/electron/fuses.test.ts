import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { describe, expect, it } from 'vitest'
import { HOOKSCOPE_FUSES } from '../../../scripts/lib/fuse-config.mjs'

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** How the wire stores a fuse: ASCII '1' / '0' (@electron/fuses' FuseState, not exported by it). */
const FuseState = { ENABLE: 0x31, DISABLE: 0x30 } as const
const REPO_ROOT = join(__dirname, '..', '..', '..')

describe('Electron fuses for packaged builds (issue 10 #3)', () => {
  it('turn off RunAsNode and NODE_OPTIONS, turn on cookie encryption and asar-only loading', () => {
    expect(HOOKSCOPE_FUSES).toMatchObject({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false
    })
  })

  it('the packaging step flips them in a binary and checks them back', async () => {
    // A stand-in for the Electron executable: the fuse wire as Electron ships it (V1, 8 fuses:
    // RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on, asar integrity off,
    // asar-only off, V8 snapshot off, file:// privileges on) between random bytes.
    const shipped = Buffer.from('10110001', 'ascii')
    const dir = mkdtempSync(join(tmpdir(), 'hookscope-fuses-'))
    try {
      const binary = join(dir, 'hookscope')
      writeFileSync(binary, Buffer.concat([randomBytes(4096), Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, shipped.length]), shipped, randomBytes(4096)]))
      const before = await getCurrentFuseWire(binary)
      expect(before[FuseV1Options.RunAsNode]).toBe(FuseState.ENABLE)

      const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'flip-fuses.mjs'), binary], { encoding: 'utf8' })
      expect(run.status, run.stderr).toBe(0)
      const wire = await getCurrentFuseWire(binary)
      const state = (enabled: boolean) => (enabled ? FuseState.ENABLE : FuseState.DISABLE)
      for (const [option, enabled] of Object.entries(HOOKSCOPE_FUSES)) {
        if (option === 'version') continue
        expect({ fuse: FuseV1Options[Number(option)], state: wire[Number(option) as FuseV1Options] }).toEqual({
          fuse: FuseV1Options[Number(option)],
          state: state(enabled as boolean)
        })
      }
      // Fuses the config leaves alone keep Electron's value.
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.DISABLE)

      const missing = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'flip-fuses.mjs'), join(dir, 'absent')], { encoding: 'utf8' })
      expect(missing.status).not.toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
