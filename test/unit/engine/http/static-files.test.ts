import { mkdirSync, writeFileSync } from 'node:fs'
import { join, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readStaticFile, resolveStaticPath } from '../../../../electron/engine/http/static-files'
import { makeTempDir } from '../../../helpers/temp-dir'

const root = join(sep, 'srv', 'hookscope', 'renderer')

describe('resolveStaticPath', () => {
  it.each([
    ['/', 'index.html'],
    ['', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/app.js', join('assets', 'app.js')],
    ['/assets/app.js?v=1', join('assets', 'app.js')],
    ['/assets/app.js#frag', join('assets', 'app.js')],
    ['//assets//app.js', join('assets', 'app.js')],
    ['/assets/./app.js', join('assets', 'app.js')],
    ['/assets/x/../app.js', join('assets', 'app.js')],
    ['/my%20file.css', 'my file.css'],
    // Decoded once only: a double-encoded dot stays a literal name inside the root.
    ['/%252e%252e/secret', join('%2e%2e', 'secret')]
  ])('maps %j inside the root', (url, relative) => {
    expect(resolveStaticPath(root, url)).toBe(join(root, relative))
  })

  it.each([
    '/..',
    '/../',
    '/../secret.txt',
    '/../../../../etc/passwd',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/..%2fsecret.txt',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/%5c..%5c..%5cetc%5cpasswd',
    '/assets%5capp.js',
    '/index.html%00',
    '/%00',
    '/%c0%ae%c0%ae/secret.txt',
    '/%E0%A4%A',
    '/.',
    '/../renderer-evil/index.html',
    '/../renderer/../renderer-evil/x'
  ])('refuses %j', (url) => {
    expect(resolveStaticPath(root, url)).toBeNull()
  })

  it('works with a root given with a trailing separator', () => {
    expect(resolveStaticPath(root + sep, '/index.html')).toBe(join(root, 'index.html'))
    expect(resolveStaticPath(root + sep, '/../x')).toBeNull()
  })
})

describe('readStaticFile', () => {
  let temp: ReturnType<typeof makeTempDir>
  let dir: string
  beforeAll(() => {
    temp = makeTempDir('hookscope-static-')
    dir = join(temp.path, 'renderer')
    mkdirSync(join(dir, 'assets'), { recursive: true })
    writeFileSync(join(dir, 'index.html'), '<!doctype html>')
    writeFileSync(join(dir, 'assets', 'app.js'), 'x()')
    writeFileSync(join(dir, 'assets', 'style.css'), 'a{}')
    writeFileSync(join(dir, 'assets', 'data.bin'), Buffer.from([0, 1, 2]))
    writeFileSync(join(temp.path, 'secret.txt'), 'secret')
  })
  afterAll(() => temp.remove())

  it('reads index.html as the document', async () => {
    const file = await readStaticFile(dir, '/')
    expect(file).toEqual({ body: Buffer.from('<!doctype html>'), contentType: 'text/html; charset=utf-8', isDocument: true })
  })

  it('types assets by extension, unknown ones as octet-stream', async () => {
    expect((await readStaticFile(dir, '/assets/app.js'))?.contentType).toBe('text/javascript; charset=utf-8')
    expect((await readStaticFile(dir, '/assets/style.css'))?.contentType).toBe('text/css; charset=utf-8')
    const bin = await readStaticFile(dir, '/assets/data.bin')
    expect(bin?.contentType).toBe('application/octet-stream')
    expect(bin?.isDocument).toBe(false)
  })

  it('returns null for missing files, folders and anything outside the root', async () => {
    expect(await readStaticFile(dir, '/missing.js')).toBeNull()
    expect(await readStaticFile(dir, '/assets')).toBeNull()
    expect(await readStaticFile(dir, '/assets/')).toBeNull()
    expect(await readStaticFile(dir, '/../secret.txt')).toBeNull()
    expect(await readStaticFile(dir, '/%2e%2e/secret.txt')).toBeNull()
  })
})
