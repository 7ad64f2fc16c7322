/** Rejects when the clipboard is unavailable or refused (no permission, insecure context). */
export function copyText(text: string): Promise<void> {
  if (!navigator.clipboard) return Promise.reject(new Error('clipboard unavailable'))
  return navigator.clipboard.writeText(text)
}
