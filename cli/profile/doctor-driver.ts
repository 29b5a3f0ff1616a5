/**
 * Runs Clinic doctor on the variant runner through its programmatic API, in a process of its own whose
 * working directory is a scratch folder (doctor collects `node_trace.*.log` from the working directory and
 * relays signals). One JSON argument (DoctorSpec); prints nothing on success, one line on failure.
 */
import { createRequire } from 'node:module'

export interface DoctorSpec {
  /** Node flags, the runner and its argument. */
  argv: string[]
  /** Folder for doctor's raw data. */
  dataDir: string
  outputHtml: string
}

interface ClinicDoctor {
  collect(args: string[], callback: (error: Error | null, dataDir: string) => void): void
  visualize(dataDir: string, outputHtml: string, callback: (error?: Error | null) => void): void
}

const require = createRequire(import.meta.url)
const spec = JSON.parse(process.argv[2] ?? '{}') as DoctorSpec

function fail(error: unknown): void {
  process.stderr.write(`clinic doctor: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}

try {
  const Doctor = require('@clinic/doctor') as new (options: Record<string, unknown>) => ClinicDoctor
  const doctor = new Doctor({ dest: spec.dataDir, name: 'variant', sampleInterval: 10 })
  doctor.collect([process.execPath, ...spec.argv], (error, dataDir) => {
    if (error) return fail(error)
    doctor.visualize(dataDir, spec.outputHtml, (visualizeError) => {
      if (visualizeError) fail(visualizeError)
    })
  })
} catch (error) {
  fail(error)
}
