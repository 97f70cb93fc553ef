// Preloaded into every test file's process by scripts/run-unit-tests.mjs: when the process
// ends, it adds how long it ran to the file FC_TEST_TIMES names, which the runner prints,
// slowest first, so that where a stage's time goes is in every run's output.
import fs from 'node:fs'
import path from 'node:path'

const started = performance.now()
const file = process.argv[1]
if (process.env.FC_TEST_TIMES && file?.endsWith('.test.ts')) {
  process.on('exit', () => {
    fs.appendFileSync(process.env.FC_TEST_TIMES, `${((performance.now() - started) / 1000).toFixed(1)}\t${path.relative(process.cwd(), file)}\n`)
  })
}
