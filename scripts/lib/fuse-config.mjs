import { FuseV1Options, FuseVersion } from '@electron/fuses'

/**
 * Electron fuses for packaged Hookscope builds, flipped in the binary at package time
 * (scripts/flip-fuses.mjs; Electron security checklist item 19). Each one closes a way to run
 * other code with the app's identity (and its OS keychain access) or to weaken what it stores:
 * - RunAsNode off: ELECTRON_RUN_AS_NODE cannot turn the app into a plain Node interpreter.
 * - EnableCookieEncryption on: the session's cookie store is encrypted with an OS-keychain key.
 * - EnableNodeOptionsEnvironmentVariable off: NODE_OPTIONS (--require, --inspect...) is ignored.
 * - EnableNodeCliInspectArguments off: --inspect and friends on the command line are ignored.
 * - OnlyLoadAppFromAsar on: the app code is read from app.asar only, never from a loose app/ folder.
 * - GrantFileProtocolExtraPrivileges off: the renderer is served from app://, never file://.
 * Left as Electron ships them: asar integrity validation (needs the packager's asar hash) and the
 * browser-process V8 snapshot.
 */
export const HOOKSCOPE_FUSES = Object.freeze({
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false
})
