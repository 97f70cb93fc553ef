#!/usr/bin/env node
// `npm test`: the stages one after the other, as the `&&` chain ran them (the first
// failure stops the run and fails it), then how long each took, so that where the
// time goes is in every run's output. The schema/migration drift check (`npm run db:drift`)
// is not a stage of its own: lib/db/migrations.test.ts runs it in the unit stage.
import { spawnSync } from 'node:child_process'

const STAGES = [
  ['lint', 'lint'],
  ['typecheck', 'typecheck'],
  ['migrations', 'test:migrations'],
  ['alerts', 'test:alerts'],
  ['unit', 'test:unit'],
  ['build', 'build'],
  ['server', 'test:server'],
  ['e2e', 'test:e2e'],
]

const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`
const times = []
let failed

const started = performance.now()
for (const [name, script] of STAGES) {
  const stageStarted = performance.now()
  const result = spawnSync(npm[0], [...npm.slice(1), 'run', script], { stdio: 'inherit' })
  times.push([name, performance.now() - stageStarted, result.status === 0 ? 'ok' : `failed (${result.status ?? result.signal})`])
  if (result.status !== 0) {
    failed = { name, status: result.status ?? 1 }
    break
  }
}
const total = performance.now() - started

console.log('\nstage       time      result')
for (const [name, ms, outcome] of times) console.log(`${name.padEnd(11)} ${seconds(ms).padStart(8)}  ${outcome}`)
for (const [name] of STAGES.slice(times.length)) console.log(`${name.padEnd(11)} ${'-'.padStart(8)}  not run`)
console.log(`${'total'.padEnd(11)} ${seconds(total).padStart(8)}`)
process.exit(failed ? failed.status || 1 : 0)
