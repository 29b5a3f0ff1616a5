/**
 * The scripts the HTML report inlines: Chart.js and the box-plot plugin from their UMD builds, and the
 * report's own browser script. Read from disk once per process and cached.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { scriptForInline } from './escape.ts'

export interface ReportAssets {
  /** Chart.js with every controller, scale and plugin registered; defines `window.Chart`. */
  chartJs: string
  /** @sgratzl/chartjs-chart-boxplot; registers `boxplot`/`violin` with `window.Chart`. */
  boxPlot: string
  /** cli/report/assets/report.js: turns the inlined chart specs into charts. */
  client: string
}

const require = createRequire(import.meta.url)

/**
 * A file beside a package's CommonJS entry. Both packages' `exports` maps hide their UMD builds, but
 * the entry that `require.resolve` finds sits in the same folder (chart.js: dist/chart.cjs beside
 * dist/chart.umd.min.js; the plugin: build/index.cjs beside build/index.umd.min.js).
 */
function besideEntry(pkg: string, file: string): string {
  return join(dirname(require.resolve(pkg)), file)
}

/**
 * The package's own folder. Resolved through the package's self-reference (`perfkit/package.json` is
 * exported) so it works both from the TypeScript sources and from the compiled `dist/`, which does not
 * hold the non-TypeScript asset.
 */
function packageRoot(): string {
  return dirname(require.resolve('perfkit/package.json'))
}

/** Source maps are not shipped inside the report; a dangling reference would make DevTools request them. */
function withoutSourceMap(source: string): string {
  return source.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n')
}

function readScript(path: string): string {
  return scriptForInline(withoutSourceMap(readFileSync(path, 'utf8')))
}

const scripts = new Map<string, string>()

/** One of perfkit's own browser scripts (e.g. `cli/profile/assets/flamegraph.js`), ready to inline; cached. */
export function perfkitScript(relativePath: string): string {
  let source = scripts.get(relativePath)
  if (source === undefined) {
    source = readScript(join(packageRoot(), ...relativePath.split('/')))
    scripts.set(relativePath, source)
  }
  return source
}

let cached: ReportAssets | undefined

export function reportAssets(): ReportAssets {
  cached ??= {
    chartJs: readScript(besideEntry('chart.js', 'chart.umd.min.js')),
    boxPlot: readScript(besideEntry('@sgratzl/chartjs-chart-boxplot', 'index.umd.min.js')),
    client: perfkitScript('cli/report/assets/report.js'),
  }
  return cached
}
