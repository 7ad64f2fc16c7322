/**
 * Whether a URL may be handed to `shell.openExternal`. Only http(s): other schemes (file:,
 * smb:, custom app handlers, javascript:) can run or open local things (Electron security
 * checklist item 15). Credentials in the URL are refused as they are a phishing tell.
 */
export function isOpenableExternally(url: string): boolean {
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false
    return parsed.username === '' && parsed.password === '' && parsed.hostname !== ''
  } catch {
    return false
  }
}
