import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

/**
 * The page's strict CSP <meta> would block Vite's inline React-refresh script in `electron-vite dev`.
 * Only while serving, drop it; the Electron shell sends its dev CSP as a header instead. Builds keep it.
 */
function withoutMetaCspWhileServing(): Plugin {
  return {
    name: 'hookscope:dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/i, '')
  }
}

// Three builds, one per process kind:
// - main: the Electron shell (index), the headless CLI (cli) and the capture worker thread
//   (capture-worker: the store's writer, started by the engine from out/main/capture-worker.js).
//   They share the engine chunk; only `index` may import 'electron' (test/unit/architecture.test.ts).
// - preload: fully bundled CommonJS, because sandboxed preloads can only require 'electron'.
// - renderer: the React UI, served by Electron (app://) or by the headless HTTP server.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: {
        entry: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts'),
          'capture-worker': resolve(__dirname, 'electron/engine/capture/writer/capture-worker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      lib: { entry: { index: resolve(__dirname, 'electron/preload/index.ts') } }
    }
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), withoutMetaCspWhileServing()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // The headless server sends this bundle to browsers; electron-vite leaves it unminified by default.
      minify: true,
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') }
    }
  }
})
