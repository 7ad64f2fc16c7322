/**
 * The XML pretty-printer on hostile input against well-formed XML of the same size, in the same run:
 *   npm run bench:bodies
 * Linear work means the hostile bodies cost a small constant factor of the baseline, never a factor
 * that grows with the size (the unit test proves the bound by counting scanned characters).
 */
import { bench, describe } from 'vitest'
import { formatXml, type XmlLimits } from '../shared/lib/xml-pretty'

const LIMITS: XmlLimits = { maxRows: 10_000_000, maxDepth: 1_000, maxMillis: 600_000 }
const clock = () => performance.now()

for (const size of [100_000, 400_000]) {
  const baseline = '<r>' + '<item id="1">text</item>'.repeat(Math.floor(size / 25)) + '</r>'
  const hostile: Record<string, string> = {
    'unterminated quoted attributes': '<a "'.repeat(size / 4),
    'unterminated comments': '<!--'.repeat(size / 4),
    "stray '<'": '<'.repeat(size) + 'x'
  }
  describe(`formatXml, ${size / 1000} KB`, () => {
    bench('well-formed XML (baseline)', () => {
      formatXml(baseline, LIMITS, clock)
    })
    for (const [name, xml] of Object.entries(hostile)) {
      bench(name, () => {
        formatXml(xml, LIMITS, clock)
      })
    }
  })
}
