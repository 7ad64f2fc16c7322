import { describe, expect, it } from 'vitest'
import { readImportFile } from '../../../renderer/src/features/keyring/import-file'
import { showInvisibles } from '../../../renderer/src/lib/visible-whitespace'

describe('keyring import file', () => {
  it('tells a bundle from a plaintext keyring file', () => {
    expect(readImportFile('\uFEFF{"keys": []}\n')).toEqual({ kind: 'keyring', keyring: { keys: [] } })
    expect(readImportFile('  hookscope-keyring-v1.aGVhZA.Ym9keQ\n')).toEqual({ kind: 'bundle', bundle: 'hookscope-keyring-v1.aGVhZA.Ym9keQ' })
    expect(readImportFile('')).toEqual({ kind: 'invalid', error: 'The file is empty' })
    expect(readImportFile('keys: []')).toMatchObject({ kind: 'invalid', error: expect.stringMatching(/^Neither a keyring JSON file nor an encrypted bundle/) })
  })
})

describe('showInvisibles', () => {
  it('marks line ends, carriage returns, tabs and trailing spaces', () => {
    expect(showInvisibles('a\tb  \r\nc\n')).toBe('a→b··␍↵\nc↵\n')
    expect(showInvisibles('{"a": 1}')).toBe('{"a": 1}')
  })
})
