#!/usr/bin/env node
// Runs *.test.ts files with Node's test runner: by default those under lib/, scripts/ and
// prisma/ (no build needed); `--roots=tests --exclude=faults` the ones that start the built
// server; any other words filter file names. `--database-dependent` leaves out the files
// whose outcome is the same whichever database the suite runs on (see ONE_DATABASE below):
// .ci/run's second pass, on the other database, runs only the rest.
// First it migrates a template database once (PostgreSQL when DATABASE_URL is set,
// else a PGlite directory); each test file then starts from its own copy
// (lib/testing/fresh-database.ts).
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { withCompileCache } from './compile-cache.mjs'
import { withNodeGuard } from './node-guard.mjs'

const args = process.argv.slice(2)
const option = (name, fallback) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]?.split(',') ?? fallback
const roots = option('roots', ['lib', 'scripts', 'prisma'])
const exclude = option('exclude', [])
const databaseDependent = args.includes('--database-dependent')
// A file that uses no database, or starts the one it is about itself (an embedded folder
// of its own, a PostgreSQL of its own), says so in a line of its own
// (`// one database is enough: <why>`): a second pass on the other database would only
// repeat it.
const ONE_DATABASE = /^\/\/ one database is enough: \S/m
const only = args.filter((a) => !a.startsWith('--'))
const files = roots
  .filter((r) => fs.existsSync(r))
  .flatMap((r) => fs.readdirSync(r, { recursive: true }).map((f) => path.join(r, String(f))))
  .filter((f) => f.endsWith('.test.ts') && !f.includes('generated'))
  .filter((f) => !exclude.some((e) => f.includes(e)))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .filter((f) => !databaseDependent || !ONE_DATABASE.test(fs.readFileSync(f, 'utf8')))
  .sort()

// every process of the suite runs on the project's Node.js, or stops (scripts/node-guard.mjs),
// and shares one cache of compiled code (scripts/compile-cache.mjs)
const env = { ...withCompileCache(process.env), NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', NODE_OPTIONS: withNodeGuard(process.env.NODE_OPTIONS) }
const migrate = (extra) => execFileSync('npx', ['tsx', 'scripts/db.ts', 'deploy'], { env: { ...env, ...extra }, stdio: 'inherit' })

if (process.env.DATABASE_URL) {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await admin.connect()
  // one template per role, so that runs as different roles on one server stay apart
  const { rows: [{ role }] } = await admin.query('SELECT current_user AS role')
  const template = `fc_test_template_${role}`.replace(/\W/g, '_')
  // databases this role left behind in an earlier run that was interrupted
  const { rows } = await admin.query(
    "SELECT datname FROM pg_database WHERE datname LIKE 'fc\\_test\\_%' AND pg_get_userbyid(datdba) = current_user",
  )
  for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
  await admin.query(`CREATE DATABASE "${template}"`)
  const url = new URL(process.env.DATABASE_URL)
  url.pathname = `/${template}`
  migrate({ DATABASE_URL: url.toString() })
  env.FC_TEST_TEMPLATE = template
  await admin.end()
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-template-'))
  // every file copies it before its first test; none needs it once the run is over
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  migrate({ PGLITE_DIR: dir })
  env.FC_TEST_TEMPLATE = dir
}

if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}${only.length ? ` matching ${only.join(' ')}` : ''}`)
  process.exit(1)
}
// Files run side by side, each on a database of its own, so they share no state. A file
// that must not share the machine with others says so, and why, in a line of its own
// (`// runs alone: <why>`); those run afterwards, one at a time.
const ALONE = /^\/\/ runs alone: \S/m
const alone = files.filter((f) => ALONE.test(fs.readFileSync(f, 'utf8')))
// Side by side, the longest files start first, so that the stage does not end on one long
// file running by itself: each file's time in the last run on this machine and database
// (kept under ~/.cache), a file never timed counting as the longest. Order only: every file runs.
// One cache per database and set of roots: runs side by side (.ci/run's PGlite pass and its
// fault tests) each write their own, so neither overwrites what the other just added.
const database = process.env.DATABASE_URL ? 'postgresql' : 'pglite'
const timesCache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'fcdeduction', `test-file-times.${database}.${roots.join('+').replace(/[^\w+-]/g, '_')}.json`)
const readTimes = () => {
  try {
    return JSON.parse(fs.readFileSync(timesCache, 'utf8'))
  } catch {
    return {}
  }
}
const lastTimes = readTimes()
const lastTime = (f) => lastTimes[f] ?? Infinity
const together = files.filter((f) => !alone.includes(f)).sort((a, b) => lastTime(b) - lastTime(a) || a.localeCompare(b))
// a process per core, at least two: the built-server tests mostly wait on their servers
const concurrency = Number(process.env.TEST_CONCURRENCY) || Math.max(2, os.availableParallelism())

console.log(`Running ${files.length} test files on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (embedded)'}, ${concurrency} at a time${alone.length ? `, then ${alone.length} alone` : ''}`)
// every file's process gets its database before any of its modules runs (lib/testing/fresh-database.ts)
const preload = ['--import', './scripts/test-file-time.mjs', '--import', 'tsx', '--import', './lib/testing/fresh-database.ts']
env.FC_TEST_TIMES = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fc-test-times-')), 'times.tsv')
const run = (batch, n) => spawnSync(process.execPath, [...preload, '--test', `--test-concurrency=${n}`, ...batch], { env, stdio: 'inherit' }).status ?? 1
const started = performance.now()
const status = [together.length ? run(together, concurrency) : 0, alone.length ? run(alone, 1) : 0].find((s) => s !== 0) ?? 0

// each file's time, slowest first (scripts/test-file-time.mjs), then the stage's
const times = fs.existsSync(env.FC_TEST_TIMES) ? fs.readFileSync(env.FC_TEST_TIMES, 'utf8').trim().split('\n').map((line) => line.split('\t')) : []
fs.rmSync(path.dirname(env.FC_TEST_TIMES), { recursive: true, force: true })
try {
  const cached = { ...readTimes(), ...Object.fromEntries(times.map(([seconds, file]) => [file, Number(seconds)])) }
  fs.mkdirSync(path.dirname(timesCache), { recursive: true })
  // written whole, then renamed: a reader never sees half of it
  fs.writeFileSync(`${timesCache}.${process.pid}`, JSON.stringify(cached, null, 1))
  fs.renameSync(`${timesCache}.${process.pid}`, timesCache)
} catch (error) {
  console.error(`the files' times were not kept for the next run's order: ${error.message}`)
}
console.log('\nfile times, slowest first')
for (const [seconds, file] of times.sort((a, b) => Number(b[0]) - Number(a[0]))) console.log(`${seconds.padStart(7)} s  ${file}`)
console.log(`${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s  all ${files.length} files, ${concurrency} at a time${alone.length ? ` and ${alone.length} alone` : ''}`)
process.exit(status)
