import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * The per-user data folder. It matches Electron's `app.getPath('userData')/data` for an app named
 * "hookscope", so the desktop app and `hookscope listen` share one store (never at the same time:
 * the data-folder lock refuses a second engine; the other commands reach whichever runs through
 * its engine file, http/local-access-point.ts).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'hookscope', 'data')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'hookscope', 'data')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'hookscope', 'data')
}
