#!/usr/bin/env node
// `npm test`: the stages in order, as an `&&` chain would run them (the first failure stops
// the run and fails it), then how long each took, so that where the time goes is in every
// run's output. The schema/migration drift check (`npm run db:drift`) is not a stage of its
// own: lib/db/migrations.test.ts runs it in the unit stage.
import { spawn } from 'node:child_process'
import { withCompileCache } from './compile-cache.mjs'

// Each entry is a step; the stages of one step run side by side. The checks that come first
// are one process each, mostly on one core, so they share the cores (a few seconds saved on
// two cores); every later stage keeps the cores busy by itself.
const STEPS = [
  [['lint', 'lint'], ['typecheck', 'typecheck'], ['migrations', 'test:migrations'], ['alerts', 'test:alerts']],
  [['unit', 'test:unit']],
  [['build', 'build']],
  [['server', 'test:server']],
  [['e2e', 'test:e2e']],
]

const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm']
// lint, the type check and the build compile through it as well (scripts/compile-cache.mjs)
const env = withCompileCache(process.env)
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`

/** Runs one stage; alone, its output goes straight through; beside others, it is kept and shown whole when it ends. */
function runStage([name, script], alone) {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(npm[0], [...npm.slice(1), 'run', script], { env, stdio: alone ? 'inherit' : ['ignore', 'pipe', 'pipe'] })
    const output = []
    child.stdout?.on('data', (chunk) => output.push(chunk))
    child.stderr?.on('data', (chunk) => output.push(chunk))
    child.on('close', (status, signal) => {
      if (!alone) process.stdout.write(Buffer.concat(output))
      resolve({ name, ms: performance.now() - started, status: status ?? 1, outcome: status === 0 ? 'ok' : `failed (${status ?? signal})` })
    })
  })
}

const results = []
let failed
const started = performance.now()
for (const step of STEPS) {
  const outcomes = await Promise.all(step.map((stage) => runStage(stage, step.length === 1)))
  results.push(...outcomes)
  failed = outcomes.find((o) => o.status !== 0)
  if (failed) break
}
const total = performance.now() - started

console.log('\nstage       time      result')
for (const { name, ms, outcome } of results) console.log(`${name.padEnd(11)} ${seconds(ms).padStart(8)}  ${outcome}`)
for (const [name] of STEPS.flat().slice(results.length)) console.log(`${name.padEnd(11)} ${'-'.padStart(8)}  not run`)
console.log(`${'total'.padEnd(11)} ${seconds(total).padStart(8)}`)
process.exit(failed ? failed.status || 1 : 0)
