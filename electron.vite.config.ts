import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// Three builds, one per process kind:
// - main: the Electron shell (index) and the headless CLI (cli). Both share the engine chunk;
//   only `index` may import 'electron' (test/unit/architecture.test.ts enforces it).
// - preload: fully bundled CommonJS, because sandboxed preloads can only require 'electron'.
// - renderer: the React UI, served by Electron (app://) or by the headless HTTP server.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: {
        entry: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          cli: resolve(__dirname, 'electron/cli/index.ts')
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
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // The headless server sends this bundle to browsers; electron-vite leaves it unminified by default.
      minify: true,
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') }
    }
  }
})
