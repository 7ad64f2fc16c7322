import { describe, expect, it } from 'vitest'
import { displayUrl } from '../../../electron/engine/capture/display-url'
import { defaultDataDir } from '../../../electron/engine/default-data-dir'

describe('displayUrl', () => {
  it('shows wildcard binds as loopback and brackets IPv6', () => {
    expect(displayUrl('http', '127.0.0.1', 8080)).toBe('http://127.0.0.1:8080/')
    expect(displayUrl('http', '0.0.0.0', 80)).toBe('http://127.0.0.1:80/')
    expect(displayUrl('http', '::', 9)).toBe('http://[::1]:9/')
    expect(displayUrl('https', '::1', 443)).toBe('https://[::1]:443/')
    expect(displayUrl('http', 'hooks.local', 1)).toBe('http://hooks.local:1/')
  })
})

describe('defaultDataDir', () => {
  it('matches where Electron keeps userData for an app named hookscope', () => {
    expect(defaultDataDir({}, 'linux', '/home/ada')).toBe('/home/ada/.config/hookscope/data')
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ada')).toBe('/xdg/hookscope/data')
    expect(defaultDataDir({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/hookscope/data')
  })
})
