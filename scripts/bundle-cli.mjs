/**
 * Build step after tsc: bundles the CLI's entry (cli/main.ts compiled, plus commander) into one file,
 * so `perfkit --help` reads and links one module instead of a dozen — about 20 ms of a ~170 ms start
 * on a 2-core machine. Commands stay separate files, imported only when run (`./commands/*`).
 */
import { build } from 'esbuild'

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/cli/main.js',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // errors.js stays a module of its own: commands throw its classes and main.ts tests them with instanceof.
  external: ['./commands/*', './errors.js'],
  // commander is CommonJS: give the bundle a `require` for the Node built-ins it asks for.
  banner: { js: "import { createRequire as __perfkitCreateRequire } from 'node:module'; const require = __perfkitCreateRequire(import.meta.url);" },
  logLevel: 'warning',
})
