import { defineConfig } from 'perfkit'

// perfkit's own repository: the seed scenarios live in scenarios/; the *.bench.ts files under test/
// and scripts/ are test fixtures and tools, not scenarios to run by default.
export default defineConfig({
  scenarios: ['scenarios/**/*.bench.ts'],
})
