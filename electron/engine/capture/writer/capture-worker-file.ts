import { join } from 'node:path'

/**
 * The capture worker's script. In a build it is an entry of its own, next to the chunk this module
 * is bundled into (electron.vite.config.ts emits out/main/capture-worker.js). Tests run the
 * TypeScript source, which Node cannot start as a thread: vitest.config.mts points this module at
 * test/setup/capture-worker-file.ts instead (see there).
 */
export const captureWorkerFile = join(__dirname, 'capture-worker.js')
