import { describe, expect, it } from 'vitest'
import { prettyXml } from '../../../shared/lib/xml-pretty'

describe('prettyXml', () => {
  it('indents nested elements and keeps simple text elements on one line', () => {
    const xml = '<?xml version="1.0"?><order id="1"><item sku="a&gt;b">Widget</item><empty></empty><self/><!-- note --></order>'
    expect(prettyXml(xml)).toBe(
      [
        '<?xml version="1.0"?>',
        '<order id="1">',
        '  <item sku="a&gt;b">Widget</item>',
        '  <empty></empty>',
        '  <self/>',
        '  <!-- note -->',
        '</order>'
      ].join('\n')
    )
  })

  it('does not split on > inside quoted attributes, CDATA or a DOCTYPE subset', () => {
    const xml = '<!DOCTYPE r [<!ENTITY e "x">]><r><a t="1>2"/><![CDATA[<not a="tag">]]></r>'
    expect(prettyXml(xml)).toBe(['<!DOCTYPE r [<!ENTITY e "x">]>', '<r>', '  <a t="1>2"/>', '  <![CDATA[<not a="tag">]]>', '</r>'].join('\n'))
  })

  it('keeps malformed input as text and never throws', () => {
    expect(prettyXml('<a>x < y</a>')).toBe('<a>x < y</a>')
    expect(prettyXml('<a><!-- never closed')).toBe('<a>\n  <!-- never closed')
    expect(prettyXml('</stray><b>')).toBe('</stray>\n<b>')
    expect(prettyXml('<img src=x onerror=alert(1)><script>alert(2)</script>')).toBe(
      '<img src=x onerror=alert(1)>\n  <script>alert(2)</script>'
    )
  })

  it('stays linear on hostile input', () => {
    const started = Date.now()
    prettyXml('<a "'.repeat(100_000))
    prettyXml('<!--'.repeat(100_000))
    expect(Date.now() - started).toBeLessThan(2000)
  })
})
