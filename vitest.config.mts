import { defineConfig } from 'vitest/config'

// better-sqlite3 is a native module: forks isolate it per test file. Two cores here, so keep
// concurrency modest; integration tests open real sockets and real SQLite files.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
