/** perfkit's side of scripts/mitata-compare.ts: the same functions as variants. */
import { defineScenario } from 'perfkit'
import { empty, fn100us, fn1us, fn50ns } from './costs.ts'

export default defineScenario({
  name: 'mitata-compare',
  baseline: 'fn1us',
  variants: { fn50ns, fn1us, fn100us, empty },
})
