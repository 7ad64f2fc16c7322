#!/usr/bin/env node
// biome-ignore lint/suspicious/noRedundantUseStrict: this file is CommonJS (no "type": "module"), where strict mode is opt-in
'use strict'
// The CLI is TypeScript built by electron-vite into out/main/cli.js (npm install runs the build).
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const cli = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(cli)) {
  process.stderr.write('hookscope: not built yet; run `npm run build` in ' + join(__dirname, '..') + '\n')
  process.exit(1)
}
require(cli)
