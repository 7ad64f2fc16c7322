// What every benchmark starts with: its flags parsed and checked the same way, and the build it
// runs present.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

/** The flags of a timed run, the same in every bench: [default, min, max]. */
export const RUN_FLAGS = { duration: [10, 1, 3600], warmup: [2, 0, 600], rounds: [1, 1, 20] }

/**
 * Parses process.argv for `bench/<name>.mjs`. `ints` maps each integer flag to [default, min, max],
 * `booleans` lists the on/off flags. A bad flag or value prints the usage line and exits 2.
 */
export function benchOptions(name, { ints, booleans = [] }) {
  const usage = `Usage: node bench/${name}.mjs ${[...Object.entries(ints).map(([flag, [value]]) => `[--${flag} ${value}]`), ...booleans.map((flag) => `[--${flag}]`)].join(' ')}`
  const fail = (message) => {
    process.stderr.write(`bench/${name}.mjs: ${message}\n${usage}\n`)
    process.exit(2)
  }
  const options = {
    ...Object.fromEntries(Object.entries(ints).map(([flag, [value]]) => [flag, { type: 'string', default: String(value) }])),
    ...Object.fromEntries(booleans.map((flag) => [flag, { type: 'boolean', default: false }]))
  }
  let values
  try {
    values = parseArgs({ options, strict: true }).values
  } catch (error) {
    fail(error.message.split('\n').join(' '))
  }
  const result = {}
  for (const [flag, [, min, max]] of Object.entries(ints)) {
    const value = values[flag]
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) fail(`--${flag} must be an integer from ${min} to ${max}, not "${value}"`)
    result[flag] = Number(value)
  }
  for (const flag of booleans) result[flag] = values[flag]
  return result
}

/** Exits 1 unless `npm run build` has run (the npm scripts of the benches build first). */
export function requireBuild(name, root) {
  if (existsSync(join(root, 'out', 'main', 'cli.js'))) return
  process.stderr.write(`bench/${name}.mjs: out/main/cli.js is missing; run \`npm run build\` (npm run bench:${name} does)\n`)
  process.exit(1)
}
