import { isAbsolute, join } from 'node:path'
import { build } from 'rolldown'

/**
 * Vitest global setup: bundles the capture worker from its TypeScript source into
 * out/test/capture-worker.mjs, which test/setup/capture-worker-file.ts names. Inside the
 * repository, so the bundle's package imports (better-sqlite3, jose...) resolve from node_modules.
 */
export default async function setup(): Promise<void> {
  const root = join(__dirname, '..', '..')
  await build({
    input: join(root, 'electron/engine/capture/writer/capture-worker.ts'),
    platform: 'node',
    // Only the repository's own TypeScript is bundled; packages load from node_modules.
    external: (id) => !id.startsWith('.') && !isAbsolute(id),
    output: { file: join(root, 'out/test/capture-worker.mjs'), format: 'esm' },
    write: true,
    logLevel: 'warn'
  })
}
