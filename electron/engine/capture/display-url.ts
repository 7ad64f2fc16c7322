/** The URL a user should send to: wildcard binds are shown as loopback, IPv6 in brackets. */
export function displayUrl(scheme: 'http' | 'https', host: string, port: number): string {
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host
  return `${scheme}://${shown}:${port}/`
}
