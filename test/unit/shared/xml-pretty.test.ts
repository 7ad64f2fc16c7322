import { describe, expect, it } from 'vitest'
import { rowCount, rowText } from '../../../shared/lib/line-doc'
import { formatXml, type ScanMeter, type XmlDoc, type XmlLimits } from '../../../shared/lib/xml-pretty'

const LIMITS: XmlLimits = { maxRows: 1_000_000, maxDepth: 1_000, maxMillis: 60_000 }
const clock = () => 0

function format(xml: string, limits: Partial<XmlLimits> = {}): XmlDoc {
  return formatXml(xml, { ...LIMITS, ...limits }, clock)
}

/** The rows as the view draws them: two spaces per level. */
function prettyXml(xml: string, limits: Partial<XmlLimits> = {}): string {
  const doc = format(xml, limits)
  return Array.from({ length: rowCount(doc) }, (_, row) => '  '.repeat(doc.depths[row]!) + rowText(doc, row)).join('\n')
}

describe('formatXml', () => {
  it('indents nested elements and keeps simple text elements on one line', () => {
    const xml = '<?xml version="1.0"?><order id="1"><item sku="a&gt;b">Widget</item><empty></empty><self/><!-- note --></order>'
    expect(prettyXml(xml)).toBe(
      ['<?xml version="1.0"?>', '<order id="1">', '  <item sku="a&gt;b">Widget</item>', '  <empty></empty>', '  <self/>', '  <!-- note -->', '</order>'].join(
        '\n'
      )
    )
    expect(format(xml)).toMatchObject({ notXml: null, problem: null, cutoff: null })
  })

  it('does not split on > inside quoted attributes, CDATA or a DOCTYPE subset', () => {
    const xml = '<!DOCTYPE r [<!ENTITY e "x">]><r><a t="1>2"/><![CDATA[<not a="tag">]]></r>'
    expect(prettyXml(xml)).toBe(['<!DOCTYPE r [<!ENTITY e "x">]>', '<r>', '  <a t="1>2"/>', '  <![CDATA[<not a="tag">]]>', '</r>'].join('\n'))
  })

  it('never expands entities: a billion-laughs body is shown as written', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    expect(prettyXml(bomb)).toBe(
      ['<?xml version="1.0"?>', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>', '<lolz>&lol2;</lolz>'].join('\n')
    )
  })

  it('keeps malformed input as text, never throws, and names the first problem', () => {
    expect(prettyXml('<a>x < y</a>')).toBe('<a>x < y</a>')
    expect(prettyXml('<a><!-- never closed')).toBe('<a>\n  <!-- never closed')
    expect(prettyXml('</stray><b>')).toBe('</stray>\n<b>')
    expect(prettyXml('<img src=x onerror=alert(1)><script>alert(2)</script>')).toBe('<img src=x onerror=alert(1)>\n  <script>alert(2)</script>')
    expect(format('<a><b></a></b>').problem).toBe('</a> closes <b> (line 1)')
    expect(format('<a>\n<b>\n</c>').problem).toBe('</c> closes <b> (line 3)')
    expect(format('</stray>').problem).toBe('</stray> closes nothing (line 1)')
    expect(format('<a><b/>').problem).toBe('<a> is never closed')
  })

  it('says when a body is not XML at all', () => {
    expect(format('{"note":"line & more <x>"}').notXml).toBe("the body does not start with '<'")
    expect(format('  \n ').notXml).toBe('the body is only whitespace')
    expect(format('<<<<').notXml).toBe('no element in it')
    expect(format('\ufeff <r/>').notXml).toBeNull()
  })

  it('puts each line of a multi-line tag or text on its own row, at its level', () => {
    expect(prettyXml('<r><a\n  b="1">x</a><t>one\r\ntwo</t></r>')).toBe(['<r>', '  <a', '    b="1">x</a>', '  <t>one', '  two</t>', '</r>'].join('\n'))
  })

  it('keeps 60,000 unclosed tags linear: indentation is a number per row, capped at maxDepth', () => {
    const body = JSON.stringify({ items: Array.from({ length: 60_000 }, (_, i) => ({ id: `item-${i}`, note: 'line & more <x>' })) })
    const doc = format('<r>' + body, { maxDepth: 200 })
    expect(rowCount(doc)).toBeGreaterThan(60_000)
    expect(Math.max(...doc.depths)).toBe(200)
    expect(doc.cutoff).toEqual({ limit: 'depth', at: 200, unit: 'levels' })
    expect(doc.text.length).toBeLessThan(body.length + 100_000)
  })

  it('stops at the row budget and the time budget', () => {
    const many = '<r>' + '<a/>'.repeat(1000) + '</r>'
    const byRows = format(many, { maxRows: 10 })
    expect(rowCount(byRows)).toBe(10)
    expect(byRows.cutoff).toEqual({ limit: 'items', at: 10, unit: 'lines' })
    let now = 0
    const byTime = formatXml('<r>' + '<a/>'.repeat(100_000) + '</r>', { ...LIMITS, maxMillis: 5_000 }, () => (now += 1000))
    expect(byTime.cutoff).toEqual({ limit: 'time', at: 5_000, unit: 'ms' })
  })

  it('stays linear on hostile input: each character is examined a bounded number of times', () => {
    // Counted, not timed (the timing is in bench/body-formatters.bench.ts). A tokenizer that rescans
    // the rest of the body from every '<' would examine ~n²/2 characters here, not ~2n.
    const hostile = ['<a "'.repeat(100_000), '<!--'.repeat(100_000), '<'.repeat(200_000) + 'x', "<a b='>".repeat(50_000), '<!DOCTYPE [' + '<'.repeat(100_000)]
    for (const xml of hostile) {
      const meter: ScanMeter = { chars: 0 }
      const doc = formatXml(xml, LIMITS, clock, meter)
      expect(meter.chars).toBeLessThanOrEqual(3 * xml.length)
      expect(doc.text.length).toBeLessThanOrEqual(xml.length + rowCount(doc))
    }
  })

  it('counts every character it scans, so the linearity check above can fail', () => {
    const xml = '<r><a t="1>2">text</a><!-- c --><![CDATA[x]]></r>'
    const meter: ScanMeter = { chars: 0 }
    format(xml)
    formatXml(xml, LIMITS, clock, meter)
    expect(meter.chars).toBeGreaterThanOrEqual(xml.length)
    // A stray '<' is scanned up to the next '<', then again as text: more than once, but boundedly.
    const stray = { chars: 0 }
    formatXml('<a>' + 'x < y '.repeat(10) + '</a>', LIMITS, clock, stray)
    expect(stray.chars).toBeGreaterThan(('<a>' + 'x < y '.repeat(10) + '</a>').length)
  })
})
