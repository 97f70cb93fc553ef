// What open pages cost: N signed-in pages, each holding GET /api/session/events on
// one instance of the built server, on PostgreSQL. Prints the server's RSS before
// and with the streams open, the PostgreSQL connections the app holds meanwhile
// (pg_stat_activity), and how long until every page received `ended` after its
// session ended — all N in one transaction, then N more one transaction each.
//
//   npm run build && npm run bench:open-pages -- --database-url postgresql://role:pw@127.0.0.1:5432/db --pages 1000
//
// It creates and drops the database fc_bench_open_pages_<role> beside the one named
// (the role needs CREATEDB). Builds nothing.
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { root, startServer, type ServerProcess } from '../tests/support/server-process'

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL },
    pages: { type: 'string', default: '1000' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help || !values['database-url']) {
  console.log('usage: npm run bench:open-pages -- --database-url postgresql://… [--pages 1000]   (or BENCH_DATABASE_URL)')
  process.exit(values.help ? 0 : 2)
}
const PAGES = Number(values.pages)
if (!Number.isInteger(PAGES) || PAGES < 1 || PAGES > 20_000) {
  console.error('--pages: a whole number from 1 to 20000')
  process.exit(2)
}
const TENANT = 'FC000001'
const secret = randomBytes(32).toString('hex')
// the cookie is sealed here as the server would seal it: same secret
process.env.AUTH_SECRET = secret
Object.assign(process.env, { NODE_ENV: 'production' })
const { sealSessionCookie, sessionCookieName } = await import('@/lib/auth/web-cookie')

async function query<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(text, params)).rows
  } finally {
    await client.end()
  }
}

const base = new URL(values['database-url'])
const [{ role }] = await query<{ role: string }>(base.toString(), 'SELECT current_user AS role')
const dbName = `fc_bench_open_pages_${role}`.replace(/\W/g, '_')
const url = new URL(base)
url.pathname = `/${dbName}`
await query(base.toString(), `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
await query(base.toString(), `CREATE DATABASE "${dbName}"`)
const env = { ...process.env, DATABASE_URL: url.toString(), FC_TENANT_ID: TENANT }
execFileSync('npx', ['tsx', 'scripts/db.ts', 'deploy'], { cwd: root, env, stdio: 'pipe' })
execFileSync('npx', ['tsx', 'prisma/seed.ts'], { cwd: root, env, stdio: 'pipe' })

/** N users with a live browser session each, as N logins would leave them (rows written in bulk: the hash is not what is measured). */
async function liveSessions(prefix: string): Promise<{ id: string; userId: string }[]> {
  await query(url.toString(), `INSERT INTO de_user (tnt_inst_id, user_id, user_name, user_type)
    SELECT $1::text, $2::text || lpad(i::text, 8, '0'), 'bench ' || i, 'PERSONAL' FROM generate_series(1, $3::int) i`, [TENANT, prefix, PAGES])
  return query<{ id: string; userId: string }>(url.toString(), `INSERT INTO de_session
      (tnt_inst_id, session_id, user_id, live_user_id, channel, device, gmt_create, last_seen_at, idle_expires_at, absolute_expires_at)
    SELECT $1::text, gen_random_uuid()::text, user_id, user_id, 'web', 'bench', now(), now(), now() + interval '30 minutes', now() + interval '12 hours'
    FROM de_user WHERE tnt_inst_id = $1::text AND user_id LIKE $2::text || '%'
    RETURNING session_id AS id, user_id AS "userId"`, [TENANT, prefix])
}

const rssMiB = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 102.4) / 10
const appConnections = async () =>
  (await query<{ n: string; names: string | null }>(url.toString(),
    `SELECT count(*) AS n, string_agg(DISTINCT coalesce(nullif(application_name, ''), '(pool)'), ', ') AS names
     FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [dbName]))[0]

type Stream = { opened: Promise<void>; ended: Promise<number> }
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity })

/** Opens a page's stream; `ended` resolves with the time (performance.now) its ended event arrived. */
function openStream(server: ServerProcess, cookie: string): Stream {
  let opened!: () => void
  let failed!: (error: Error) => void
  const openedP = new Promise<void>((resolve, reject) => ((opened = resolve), (failed = reject)))
  const ended = new Promise<number>((resolve, reject) => {
    const req = http.get(`${server.base}/api/session/events`, { agent, headers: { cookie } }, (res) => {
      if (res.statusCode !== 200) return failed(new Error(`stream answered ${res.statusCode}`))
      res.setEncoding('utf8')
      let text = ''
      res.on('data', (chunk: string) => {
        text += chunk
        if (text.includes('retry:')) opened()
        if (text.includes('event: ended')) {
          resolve(performance.now())
          res.destroy()
        }
      })
      res.on('end', () => reject(new Error('the stream closed without ended')))
    })
    req.on('error', (error) => (failed(error), reject(error)))
  })
  ended.catch(() => {})
  return { opened: openedP, ended }
}

const server = await startServer({ DATABASE_URL: url.toString(), PGLITE_DIR: undefined, AUTH_SECRET: secret, LOG_LEVEL: 'warn', FC_TENANT_ID: TENANT })
const pid = server.child.pid!
try {
  // warm: one page through Next and one stream, so that lazy start-up is not counted as the streams' cost
  await (await fetch(`${server.base}/login`)).text()
  const [warm] = await liveSessions('BENCHWARM')
  const warmStream = openStream(server, `${sessionCookieName()}=${await sealSessionCookie(warm)}`)
  await warmStream.opened
  await query(url.toString(), `UPDATE de_session SET live_user_id = NULL, status = 'REVOKED', end_reason = 'ADMIN', ended_at = now() WHERE session_id = $1`, [warm.id])
  await warmStream.ended
  global.gc?.()

  const rows: string[] = []
  const report = (label: string, value: string) => (rows.push(`${label.padEnd(58)} ${value}`), console.log(rows.at(-1)))
  const rssBefore = rssMiB(pid)
  const connsBefore = await appConnections()
  report('server RSS before (MiB)', String(rssBefore))
  report('app connections to PostgreSQL before', `${connsBefore.n} (${connsBefore.names})`)

  for (const [round, label] of [['A', 'one transaction'], ['B', 'one transaction each']] as const) {
    const sessions = await liveSessions(`BENCHSSE${round}`)
    const cookies = await Promise.all(sessions.map(async (s) => `${sessionCookieName()}=${await sealSessionCookie(s)}`))
    const started = performance.now()
    const streams = cookies.map((cookie) => openStream(server, cookie))
    await Promise.all(streams.map((s) => s.opened))
    report(`${PAGES} streams open after (ms)`, String(Math.round(performance.now() - started)))
    const rssOpen = rssMiB(pid)
    const conns = await appConnections()
    report(`server RSS with ${PAGES} streams open (MiB)`, `${rssOpen} (+${Math.round((rssOpen - rssBefore) * 10) / 10}, ${Math.round(((rssOpen - rssBefore) * 1024) / PAGES)} KiB a stream)`)
    report(`app connections to PostgreSQL with ${PAGES} streams open`, `${conns.n} (${conns.names})`)

    const ids = sessions.map((s) => s.id)
    // when each session's end committed, to measure each page's wait from its own commit
    const commits: number[] = []
    const t0 = performance.now()
    if (round === 'A') {
      await query(url.toString(), `UPDATE de_session SET live_user_id = NULL, status = 'REVOKED', end_reason = 'ADMIN', ended_at = now() WHERE session_id = ANY($1)`, [ids])
      commits.push(...ids.map(() => performance.now()))
    } else {
      const client = new pg.Client({ connectionString: url.toString() })
      await client.connect()
      for (const id of ids) {
        await client.query(`UPDATE de_session SET live_user_id = NULL, status = 'REVOKED', end_reason = 'ADMIN', ended_at = now() WHERE session_id = $1`, [id])
        commits.push(performance.now())
      }
      await client.end()
    }
    const committed = performance.now()
    const arrivals = await Promise.all(streams.map((s) => s.ended))
    // a commit's acknowledgement can reach this process after the NOTIFY's event: clamp at 0
    const waits = arrivals.map((at, i) => Math.max(0, at - commits[i])).sort((x, y) => x - y)
    const pct = (p: number) => Math.round(waits[Math.min(waits.length - 1, Math.floor((waits.length * p) / 100))])
    report(`ended ${PAGES} sessions, ${label}: writes took (ms)`, String(Math.round(committed - t0)))
    report(`  all ${PAGES} pages received ended (ms after the first write)`, String(Math.round(Math.max(...arrivals) - t0)))
    report(`  each page's wait from its session's commit (ms)`, `p50 ${pct(50)}, p99 ${pct(99)}, max ${Math.round(waits.at(-1)!)}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
    report('server RSS after the streams ended (MiB)', String(rssMiB(pid)))
  }
  fs.mkdirSync('bench/results', { recursive: true })
  fs.writeFileSync('bench/results/open-pages.txt', `${new Date().toISOString()} pages=${PAGES}\n${rows.join('\n')}\n`)
  console.log('written to bench/results/open-pages.txt')
} finally {
  await server.stop()
  agent.destroy()
  await query(base.toString(), `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)
}
process.exit(0)
