import { join } from 'node:path'

/** Stands in for electron/engine/capture/writer/capture-worker-file.ts under vitest (see vitest.config.mts). */
export const captureWorkerFile = join(__dirname, '..', '..', 'out', 'test', 'capture-worker.mjs')
