import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

// better-sqlite3 is a native module: forks isolate it per test file. Two cores here, so keep
// concurrency modest; integration tests open real sockets and real SQLite files.
//
// The capture worker (electron/engine/capture/writer/capture-worker.ts) is a thread Node starts
// from a file, and Node cannot run our TypeScript source. So the tests run the real worker code
// bundled once per run from source (test/setup/build-capture-worker.ts, with rolldown, the bundler
// Vite already uses): the module naming the worker's file is swapped for one naming that bundle.
// A build (npm run build) emits the same code as out/main/capture-worker.js; the CLI tests use it.
export default defineConfig({
  resolve: {
    alias: [{ find: /^\.\/capture-worker-file$/, replacement: resolve(import.meta.dirname, 'test/setup/capture-worker-file.ts') }]
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build-capture-worker.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
