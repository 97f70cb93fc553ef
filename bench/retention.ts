// The retention clean-up on a large table: rows removed per second, alone and while
// list calls run, and the list call's latency with and without a run going on.
//   npx tsx bench/retention.ts --database-url postgresql://user:pw@127.0.0.1:5432/db [--rows 1000000] [--list-seconds 10] [--clients 4] [--pause-ms 10]
// It creates (and at the end drops) the database fc_bench_retention_<role> beside the one
// named, so the role needs CREATEDB. Old rows are login attempts 100 days old written by
// generate_series; a tenth as many recent ones stay. The list calls go through the app's
// own service function in this process, as the server's calls share its process with the
// clean-up; each client calls in a loop, one call at a time.
import { execFileSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import pg from 'pg'

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL },
    rows: { type: 'string', default: '1000000' },
    'list-seconds': { type: 'string', default: '10' },
    clients: { type: 'string', default: '4' },
    /** the pause after each batch (lib/agreements/retention.ts); unset: the app's own */
    'pause-ms': { type: 'string' },
  },
})
if (!values['database-url']) throw new Error('give --database-url postgresql://… (a role that may create databases)')
const rows = Number(values.rows)
const listSeconds = Number(values['list-seconds'])
const clients = Number(values.clients)
const pauseMs = values['pause-ms'] === undefined ? undefined : Number(values['pause-ms'])

const admin = new pg.Client({ connectionString: values['database-url'] })
await admin.connect()
const { rows: [{ role }] } = await admin.query<{ role: string }>('SELECT current_user AS role')
const database = `fc_bench_retention_${role}`.replace(/\W/g, '_')
await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
await admin.query(`CREATE DATABASE "${database}"`)
const url = new URL(values['database-url'])
url.pathname = `/${database}`
process.env.DATABASE_URL = url.toString()
process.env.LOG_LEVEL = 'silent'
execFileSync('npx', ['tsx', 'scripts/db.ts', 'deploy'], { stdio: 'inherit', env: process.env })

// the app's modules read the configuration on first use: only now that it points here
const { prisma, closeDatabase } = await import('@/lib/db')
const { runRetention } = await import('@/lib/agreements/retention')
const { listAgreements } = await import('@/lib/agreements/list-agreements')
const { createCatalogue, createUser, actorFor } = await import('@/lib/testing/fixtures')

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

// the bulk fill runs on a connection of its own, free of the app's per-statement timeout
const filler = new pg.Client({ connectionString: url.toString() })
await filler.connect()

async function fill() {
  const started = performance.now()
  await filler.query(`
    INSERT INTO de_login_attempt (tnt_inst_id, user_id, channel, outcome, device, gmt_create)
    SELECT 'FC000001', 'U' || lpad((i % 100000)::text, 15, '0'), 'web', 'SUCCESS', 'Firefox on Linux',
           now() - interval '100 days' - make_interval(secs => i)
    FROM generate_series(1, $1::int) AS i`, [rows])
  await filler.query(`
    INSERT INTO de_login_attempt (tnt_inst_id, user_id, channel, outcome, device, gmt_create)
    SELECT 'FC000001', 'U' || lpad((i % 100000)::text, 15, '0'), 'web', 'SUCCESS', 'Firefox on Linux', now() - make_interval(secs => i)
    FROM generate_series(1, $1::int) AS i`, [Math.floor(rows / 10)])
  await filler.query('VACUUM ANALYZE de_login_attempt')
  console.log(`filled ${rows} old and ${Math.floor(rows / 10)} recent login attempts in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

async function retention(label: string) {
  const started = performance.now()
  const run = await runRetention({ pauseMs })
  const seconds = (performance.now() - started) / 1000
  if (run.skipped) throw new Error('the run skipped: another one holds the lock')
  const removed = Object.values(run.removed).reduce((a, b) => a + b, 0)
  console.log(`retention ${label}: ${removed} rows in ${seconds.toFixed(1)} s = ${Math.round(removed / seconds)} rows/s`)
}

await createCatalogue(60)
const userId = await createUser('list@example.com')
await prisma.$executeRaw`
  INSERT INTO de_user_ar_rel (tnt_inst_id, rel_id, user_id, pd_code, pd_name, ar_name, ar_no)
  SELECT 'FC000001', lpad(to_hex(i), 32, '0'), ${userId}, 'P' || lpad((i - 1)::text, 7, '0'), 'Product ' || (i - 1), '扣费合约', '00000001'
  FROM generate_series(1, 60) AS i`
const actor = await actorFor(userId)
const list = () => listAgreements(actor, { arrangementType: 'Deduction', userId, pageSize: 20 })

/** List calls from `clients` loops until `until` settles (or `seconds` pass); sorted latencies in ms. */
async function listCalls(until: Promise<unknown> | number): Promise<number[]> {
  let done = false
  const stop = typeof until === 'number' ? new Promise((r) => setTimeout(r, until * 1000)) : until
  void stop.finally(() => (done = true))
  const latencies: number[] = []
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!done) {
        const start = performance.now()
        await list()
        latencies.push(performance.now() - start)
      }
    }),
  )
  return latencies.sort((a, b) => a - b)
}
const report = (label: string, l: number[], seconds: number) =>
  console.log(`list ${label}: ${l.length} calls, ${Math.round(l.length / seconds)}/s, p50 ${percentile(l, 50).toFixed(2)} ms, p99 ${percentile(l, 99).toFixed(2)} ms`)

try {
  await fill()
  await retention('alone')
  if (listSeconds > 0) {
    await fill()
    await listCalls(2) // warm-up
    report('without retention', await listCalls(listSeconds), listSeconds)
    const started = performance.now()
    const run = retention(`with ${clients} list clients`)
    const during = await listCalls(run)
    await run
    report('during retention', during, (performance.now() - started) / 1000)
  }
} finally {
  await filler.end()
  await closeDatabase()
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
  await admin.end()
}
