/**
 * perfkit's command line. This file builds the program and is the ONLY place that turns errors
 * into messages and exit codes; each command lives in commands/ and is imported only when run,
 * so `perfkit --help` starts fast.
 */
import { readFileSync } from 'node:fs'
import { Command, CommanderError, Option } from 'commander'
import { EXIT, PerfkitError, redact } from './errors.ts'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

export const EXIT_CODES_HELP = `
Exit codes:
  0    all good (an inconclusive verdict is a warning unless --fail-on inconclusive)
  1    a budget failed or a regression was found
  2    usage, config or scenario-file error
  3    the run could not complete (a variant threw or timed out, a backend was unreachable)
  130  interrupted (Ctrl-C); everything measured so far is written`

const collect = (value: string, previous: string[] = []) => [...previous, value]
const FAIL_ON_HELP =
  'also fail on: time (a variant judged on its time alone got slower), inconclusive (a verdict or budget could not be decided); repeatable or comma-separated'
const SCENARIOS_HELP = "scenario files, folders or globs (default: the config's scenarios, else every *.bench.{ts,mts,js,mjs} outside node_modules, dist and reports)"
const CONFIG_HELP = 'config file (default: perfkit.config.{ts,mts,js,mjs} in the working directory or a folder above it, up to the package root)'
const verbose = process.argv.includes('--verbose')

function buildProgram(): Command {
  const program = new Command('perfkit')
    .description('What does this architectural layer cost, and did my change make it worse?')
    .version(pkg.version, '-v, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`perfkit: ${text.replace(/^error: /, '').trim()} (see perfkit --help)\n`) })
    .addHelpText('after', EXIT_CODES_HELP)

  program
    .command('run')
    .description('run scenario files and compare their variants')
    .argument('[patterns...]', SCENARIOS_HELP)
    .option('-f, --filter <regex>', 'only scenarios or variants (scenario/variant) matching this; the baseline always runs')
    .option('-p, --param <key=value>', 'override a scenario parameter (repeatable)', collect, [])
    .option('-t, --time <duration>', 'time budget per scenario case, e.g. 5s (default 8s, or the config\'s time)')
    .option('-r, --rounds <n>', 'a fixed number of rounds per variant (turns auto-sampling off)')
    .option('--processes <n>', 'fresh processes per variant before the first look (default 6 for micro, 3 for http; auto-sampling may add more)')
    .option('-q, --quick', 'the smallest honest run: short budget, few rounds (smoke tests)')
    .option('-o, --out <dir>', 'folder for this run\'s results (default reports/<timestamp>)')
    .option('--json <file>', 'also write the JSON result to this file, or - for stdout (tables then go to stderr)')
    .option('--seed <n>', 'seed of the round order and the bootstrap, to reproduce a run')
    .option('--timeout <duration>', 'how long a round, setup or teardown may take before the variant is killed (default 60s)')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('-b, --baseline <name|file>', 'compare with a saved baseline (reports/baselines/<name>.json) or a result file; a regression exits 1')
    .option('--against <ref>', "measure a git ref's code (a branch, tag or commit, e.g. origin/main) beside the working tree's, paired by round: a variant slower than on the ref exits 1")
    .option('--fail-on <what>', FAIL_ON_HELP, collect, [])
    .option('--markdown <file>', 'also write a Markdown summary (fits a PR comment), or - for stdout; appended to $GITHUB_STEP_SUMMARY when set')
    .option('--junit <file>', 'also write JUnit XML: a test case per budget and per variant compared with the baseline')
    .option('--profile', 'after measuring, profile each variant: flame graphs, .cpuprofile and differential flame graphs vs the baseline')
    .option('--profile-tool <name>', 'profiler for --profile: cpuprofile (default), 0x or clinic-doctor (repeatable, or comma-separated; implies --profile)', collect, [])
    .option('--verbose', 'stack traces and more detail on errors')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (patterns: string[], options) => {
      const { runCommand } = await import('./commands/run.ts')
      process.exitCode = await runCommand(patterns, options)
    })

  program
    .command('init')
    .description('write a perfkit.config.ts and a first scenario (bench/example.bench.ts; .mts in a CommonJS package), and add "bench": "perfkit run" to package.json; never overwrites a file')
    .option('--verbose', 'stack traces and more detail on errors')
    .action(async (options) => {
      const { initCommand } = await import('./commands/init.ts')
      process.exitCode = await initCommand(options)
    })

  program
    .command('list')
    .description('list the scenarios found, their variants and parameters (and validate them)')
    .argument('[patterns...]', 'scenario files, folders or globs')
    .option('-c, --config <file>', CONFIG_HELP)
    .addOption(new Option('--json', 'print the list as JSON'))
    .option('--verbose', 'stack traces and more detail on errors')
    .action(async (patterns: string[], options) => {
      const { listCommand } = await import('./commands/list.ts')
      process.exitCode = await listCommand(patterns, options)
    })

  program
    .command('profile')
    .description('profile a scenario\'s variants: flame graphs, the raw .cpuprofile, and a differential flame graph of each variant against the baseline')
    .argument('<scenario>', 'the scenario\'s name (perfkit list shows them)')
    .argument('[patterns...]', SCENARIOS_HELP)
    .option('--variant <name>', 'only this variant, and the baseline (repeatable)', collect, [])
    .option('--tool <name>', 'cpuprofile (inspector, the default), 0x or clinic-doctor (repeatable, or comma-separated)', collect, [])
    .option('-d, --duration <duration>', 'how long each variant runs under the profiler: a micro loop, a load window, a server under load (default 3s)')
    .option('-p, --param <key=value>', 'override a scenario parameter (repeatable)', collect, [])
    .option('-o, --out <dir>', 'folder to write into (profiles/ goes under it; default reports/<timestamp>-profile)')
    .option('--timeout <duration>', 'how long loading, setup or teardown may take (default 60s)')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--verbose', 'stack traces and more detail on errors')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (scenario: string, patterns: string[], options) => {
      const { profileCommand } = await import('./commands/profile.ts')
      process.exitCode = await profileCommand(scenario, patterns, options)
    })

  program
    .command('report')
    .description('rebuild a run\'s report from its result.json (HTML by default, beside the result)')
    .argument('<result>', 'a result.json written by perfkit run')
    .option('--format <name>', 'html, json, console, markdown or junit', 'html')
    .option('-o, --out <file>', 'where to write it (- for stdout); default beside the result')
    .option('--verbose', 'stack traces and more detail on errors')
    .action(async (file: string, options) => {
      const { reportCommand } = await import('./commands/report.ts')
      process.exitCode = await reportCommand(file, options)
    })

  program
    .command('compare')
    .description('compare two results: per variant, head ÷ base with a verdict; a regression exits 1')
    .argument('<base>', 'the base: a result.json, a run folder, or a baseline name (reports/baselines/<name>.json)')
    .argument('<head>', 'the head: a result.json or a run folder')
    .option('--fail-on <what>', FAIL_ON_HELP, collect, [])
    .option('--json <file>', 'write the head result with the comparison to this file, or - for stdout')
    .option('--markdown <file>', 'write a Markdown summary (fits a PR comment), or - for stdout; appended to $GITHUB_STEP_SUMMARY when set')
    .option('--junit <file>', 'write JUnit XML: a test case per budget and per compared variant')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--verbose', 'stack traces and more detail on errors')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (base: string, head: string, options) => {
      const { compareCommand } = await import('./commands/compare.ts')
      process.exitCode = await compareCommand(base, head, options)
    })

  const baseline = program.command('baseline').description('saved runs to compare later runs with (reports/baselines/)')
  baseline
    .command('save')
    .description('save a run as a baseline: its scenarios replace theirs in the baseline, the others are kept (a calibration already in the baseline is kept)')
    .argument('[name]', 'the baseline\'s name', 'main')
    .option('--from <result>', 'the run to save: a result.json or run folder (default: the latest run, reports/latest)')
    .option('--replace', 'replace the whole baseline, dropping the scenarios this run did not measure')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--verbose', 'stack traces and more detail on errors')
    .action(async (name: string, options) => {
      const { baselineSaveCommand } = await import('./commands/baseline.ts')
      process.exitCode = await baselineSaveCommand(name, options)
    })

  program
    .command('calibrate')
    .description('run the scenarios several times (A/A) and save a baseline with each scenario\'s noise floor')
    .argument('[patterns...]', 'scenario files, folders or globs (default: the config\'s scenarios)')
    .option('-n, --name <name>', 'the baseline to write; its scenarios that this calibration does not run are kept', 'main')
    .option('--replace', 'replace the whole baseline, dropping the scenarios this calibration does not run')
    .option('--runs <n>', 'A/A runs; a new run of identical code lands outside the noise floor with probability at most 1/(runs + 1)', '10')
    .option('-f, --filter <regex>', 'only scenarios or variants matching this')
    .option('-p, --param <key=value>', 'override a scenario parameter (repeatable)', collect, [])
    .option('-t, --time <duration>', 'time budget per scenario case (use the one the gate runs with)')
    .option('-r, --rounds <n>', 'a fixed number of rounds per variant')
    .option('-q, --quick', 'the smallest honest runs (smoke tests)')
    .option('--timeout <duration>', 'how long a round, setup or teardown may take')
    .option('-c, --config <file>', CONFIG_HELP)
    .option('--verbose', 'stack traces and more detail on errors')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (patterns: string[], options) => {
      const { calibrateCommand } = await import('./commands/calibrate.ts')
      process.exitCode = await calibrateCommand(patterns, options)
    })

  return program
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every other commander error is a usage error and already printed.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage
  }
  if (error instanceof PerfkitError) {
    for (const line of redact(error.message).split('\n')) process.stderr.write(`perfkit: ${line}\n`)
    if (verbose && error.cause instanceof Error && error.cause.stack) process.stderr.write(`${redact(error.cause.stack)}\n`)
    return error.exitCode
  }
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`perfkit: internal error: ${redact(message)}\n`)
  process.stderr.write(`perfkit: this is a bug in perfkit; please report it with the command you ran${verbose ? '' : ' (add --verbose for the stack trace)'}\n`)
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${redact(error.stack)}\n`)
  return EXIT.incomplete
}

try {
  await buildProgram().parseAsync(process.argv)
} catch (error) {
  process.exitCode = report(error)
}
