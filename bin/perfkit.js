#!/usr/bin/env node
// Thin shim: the CLI is compiled to dist/ on install (`npm ci` runs `prepare`).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const main = new URL('../dist/cli/main.js', import.meta.url)
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('perfkit: the CLI is not built (dist/ is missing); run `npm run build` in the perfkit folder\n')
  process.exit(2)
}
await import(main.href)
