// `npm run soak -- [--minutes 10] [--rate 100] [--users 20] [--web-users 4]`
//
// Mixed load against the built server (dist/server.js + the Next build: run
// `npm run build` first) on a fresh database — `<db>_soak` beside DATABASE_URL's,
// or a new PGlite directory — for a while, then the figures and the invariants:
//   - errors: every answer that is not what the model of each virtual user says
//     (a 5xx, a transport error, a 03 for a live token, a 16/17 the model does
//     not expect, a list that differs from the model, a page that is not 200);
//   - the server's memory (VmRSS from /proc/<pid>/status, and the V8 heap in use
//     from /metrics) at start, after the warm-up minute, every 30 s, and at the
//     end; bounded when the RSS peaks of the second half stay near the first's;
//   - at most one live session per user; no duplicate relation; every
//     acknowledged open and close present in the events, and the relations
//     equal to each user's model.
// Each API virtual user works one request at a time (so its model is exact) at
// rate/users requests per second: list (40 %), open (20 %), close (20 %),
// refresh (7 %), a retried Idempotency-Key (5 %), a refused request (5 %),
// a new login (3 %). Web users sign in through the login form and load pages.
// Exit code 0 when there were no errors and every invariant holds.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { startServer, type ServerProcess } from '../tests/support/server-process'
import { prepareDatabase, type TestUser } from '../tests/support/prepare-database'
import { webLogin } from '../tests/support/web-login'
import { call } from '../tests/support/rpc'

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '100' },
    users: { type: 'string', default: '20' },
    'web-users': { type: 'string', default: '4' },
    help: { type: 'boolean', default: false },
  },
})
if (args.help) {
  console.log('npm run soak -- [--minutes 10] [--rate 100 (requests/s, all users)] [--users 20 (API, ≤ 26)] [--web-users 4 (≤ 4)]')
  process.exit(0)
}
const MINUTES = Number(args.minutes)
const RATE = Number(args.rate)
const USERS = Number(args.users)
const WEB_USERS = Number(args['web-users'])
if (!(MINUTES > 0) || !(RATE > 0) || !(USERS >= 1 && USERS <= 26) || !(WEB_USERS >= 0 && WEB_USERS <= 4)) {
  console.error('bad arguments: --minutes > 0, --rate > 0, 1 ≤ --users ≤ 26, 0 ≤ --web-users ≤ 4')
  process.exit(2)
}

const LOGIN = 'user.User/Login'
const REFRESH = 'user.User/Refresh'
const CREATE = 'deduction.Company/CreateDeductionService'
const CLOSE = 'deduction.Company/CloseDeductionService'
const LIST = 'deduction.Company/QueryDeductionListByUserIdAndArType'
const PRODUCTS = ['00000001', '00000002']
const WARM_UP_MS = Math.min(60_000, (MINUTES * 60_000) / 5)

// ---------------------------------------------------------------------------
// The database and the server

async function freshDatabase(): Promise<{ env: Record<string, string | undefined>; query: <T>(sql: string) => Promise<T[]>; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL)
    const name = `${url.pathname.slice(1)}_soak`
    const run = async <T>(connection: string, sql: string) => {
      const client = new pg.Client({ connectionString: connection })
      await client.connect()
      try {
        return (await client.query(sql)).rows as T[]
      } finally {
        await client.end()
      }
    }
    await run(process.env.DATABASE_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await run(process.env.DATABASE_URL, `CREATE DATABASE "${name}"`)
    url.pathname = `/${name}`
    const soakUrl = url.toString()
    return {
      env: { DATABASE_URL: soakUrl },
      query: (sql) => run(soakUrl, sql),
      drop: async () => void (await run(process.env.DATABASE_URL!, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fc-soak-'))
  return {
    env: { PGLITE_DIR: dir, DATABASE_URL: undefined },
    // PGlite has one owner at a time: only after the server has stopped
    query: async <T>(sql: string) => {
      const { openPGlite } = await import('@/lib/db/private-pglite')
      const db = openPGlite(dir)
      try {
        return (await db.query(sql)).rows as T[]
      } finally {
        await db.close()
      }
    },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}

/** The V8 heap in use, from the server's own metrics (loopback needs no token): a leak shows here before RSS. */
async function heapMiB(base: string): Promise<number> {
  try {
    const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(10_000) })).text()
    return Math.round(Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? 0) / 104857.6) / 10
  } catch {
    return 0
  }
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 102.4) / 10
}

// ---------------------------------------------------------------------------
// The tallies

const stats = {
  requests: 0,
  errors: 0,
  byCall: new Map<string, number>(),
  byCode: new Map<string, number>(),
  latencies: [] as number[],
  lagMs: 0,
}
const errorSamples: string[] = []
function error(message: string) {
  stats.errors++
  if (errorSamples.length < 20) errorSamples.push(message)
}
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)

/** Acknowledged (00) opens and closes per "user product". */
const acknowledged = new Map<string, { opens: number; closes: number }>()
function ack(userId: string, product: string, kind: 'opens' | 'closes') {
  const key = `${userId} ${product}`
  const entry = acknowledged.get(key) ?? { opens: 0, closes: 0 }
  entry[kind]++
  acknowledged.set(key, entry)
}

async function rpc(method: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown> | undefined> {
  const started = performance.now()
  stats.requests++
  bump(stats.byCall, method)
  try {
    const { http, json, text } = await call(server.base, method, body, headers)
    stats.latencies.push(performance.now() - started)
    bump(stats.byCode, http === 200 ? String(json.code) : `HTTP ${http}`)
    if (http !== 200) {
      error(`${method}: HTTP ${http} ${text.slice(0, 200)}`)
      return undefined
    }
    return json
  } catch (e) {
    bump(stats.byCode, 'transport error')
    error(`${method}: ${e instanceof Error ? e.message : String(e)}`)
    return undefined
  }
}

// ---------------------------------------------------------------------------
// The virtual users

type User = TestUser
const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]

class ApiUser {
  token = ''
  refreshToken = ''
  readonly open = new Set<string>()
  constructor(readonly user: User) {}

  async login(): Promise<void> {
    const answer = await rpc(LOGIN, { loginKey: this.user.email, loginValue: this.user.password })
    if (answer?.code !== '00') return error(`login ${this.user.email}: ${JSON.stringify(answer)}`)
    const previous = this.token
    this.token = answer.token as string
    this.refreshToken = answer.refreshToken as string
    // single-device login: the previous token is refused at once
    if (previous) {
      const stale = await rpc(LIST, { token: previous, arrangementType: 'Deduction', userId: this.user.userId })
      if (stale && stale.code !== '03') error(`${this.user.email}: a replaced token answered ${String(stale.code)}`)
    }
  }

  private expect(what: string, answer: Record<string, unknown> | undefined, code: string): boolean {
    if (!answer) return false
    if (answer.code !== code) {
      error(`${this.user.email} ${what}: ${String(answer.code)} (${String(answer.desc)}), the model says ${code}`)
      return false
    }
    return true
  }

  private target(product: string) {
    return { token: this.token, arrangementType: 'Deduction', productCode: product, userId: this.user.userId }
  }

  async step(): Promise<void> {
    const roll = Math.random()
    if (roll < 0.4) return this.list()
    if (roll < 0.6) return this.change('open')
    if (roll < 0.8) return this.change('close')
    if (roll < 0.87) return this.refresh()
    if (roll < 0.92) return this.retried()
    if (roll < 0.97) return this.refused()
    return this.login()
  }

  async list() {
    const answer = await rpc(LIST, { token: this.token, arrangementType: 'Deduction', userId: this.user.userId, pageSize: 100 })
    if (!this.expect('list', answer, '00')) return
    const listed = (answer!.simpliedProductInfo as { productCode: string }[]).map((p) => p.productCode).sort()
    const model = [...this.open].sort()
    if (listed.join() !== model.join()) error(`${this.user.email} list: ${listed.join()} but the model has ${model.join()}`)
  }

  async change(preferred: 'open' | 'close') {
    // open what is closed, close what is open; the other way round when there is nothing to do
    const closed = PRODUCTS.filter((p) => !this.open.has(p))
    const kind = preferred === 'open' ? (closed.length ? 'open' : 'close') : this.open.size ? 'close' : 'open'
    const product = kind === 'open' ? pick(closed) : pick([...this.open])
    const answer = await rpc(kind === 'open' ? CREATE : CLOSE, this.target(product))
    if (!this.expect(kind, answer, '00')) return
    this.apply(kind, product)
  }

  private apply(kind: 'open' | 'close', product: string) {
    if (kind === 'open') this.open.add(product)
    else this.open.delete(product)
    ack(this.user.userId, product, kind === 'open' ? 'opens' : 'closes')
  }

  async refresh() {
    const answer = await rpc(REFRESH, { refreshToken: this.refreshToken })
    if (!this.expect('refresh', answer, '00')) return
    this.token = answer!.token as string
    this.refreshToken = answer!.refreshToken as string
  }

  /** An open or close sent twice with one Idempotency-Key: one execution, the same answer twice. */
  async retried() {
    const product = pick(PRODUCTS)
    const kind = this.open.has(product) ? 'close' : 'open'
    const key = randomUUID()
    const method = kind === 'open' ? CREATE : CLOSE
    const first = await rpc(method, this.target(product), { 'idempotency-key': key })
    if (!this.expect(`${kind} with a key`, first, '00')) return
    this.apply(kind, product)
    const again = await rpc(method, this.target(product), { 'idempotency-key': key })
    this.expect(`${kind} retried with its key`, again, '00')
  }

  /** Requests the model says are refused: they must be, and change nothing. */
  async refused() {
    const product = pick(PRODUCTS)
    const cases: [string, Record<string, unknown>, string][] = [
      ['an over-long product code', { ...this.target('😀'.repeat(33)) }, '10'],
      ['another user', { ...this.target(product), userId: 'U0000000000000030' }, '04'],
      ['an unknown product', { ...this.target('99999999') }, '14'],
      [this.open.has(product) ? 'a second open' : 'closing what is not open', this.target(product), this.open.has(product) ? '16' : '17'],
    ]
    const [what, body, code] = pick(cases)
    const method = what === 'closing what is not open' ? CLOSE : CREATE
    this.expect(what, await rpc(method, body), code)
  }
}

class WebUser {
  cookie = ''
  constructor(readonly user: User) {}

  async login() {
    const { cookie, status } = await webLogin(server.base, this.user)
    if (!cookie) return error(`web login ${this.user.email}: HTTP ${status}`)
    this.cookie = cookie
  }

  async step() {
    const page = pick(['/services', '/services/open', '/devices', '/services/00000001'])
    const started = performance.now()
    stats.requests++
    bump(stats.byCall, `GET ${page}`)
    try {
      const res = await fetch(`${server.base}${page}`, { redirect: 'manual', headers: { cookie: this.cookie }, signal: AbortSignal.timeout(30_000) })
      await res.arrayBuffer()
      stats.latencies.push(performance.now() - started)
      bump(stats.byCode, `page ${res.status}`)
      if (res.status !== 200) error(`GET ${page} as ${this.user.email}: HTTP ${res.status} → ${res.headers.get('location')}`)
    } catch (e) {
      bump(stats.byCode, 'transport error')
      error(`GET ${page}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
}

/** Runs `step` every `intervalMs` until `deadline`, catching up without bursts when late. */
async function paced(intervalMs: number, deadline: number, step: () => Promise<void>) {
  // spread the users' first requests over one interval
  let next = performance.now() + Math.random() * intervalMs
  while (Date.now() < deadline) {
    const wait = next - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    else stats.lagMs = Math.max(stats.lagMs, -wait)
    await step()
    next = Math.max(next + intervalMs, performance.now() - intervalMs)
  }
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0)

// ---------------------------------------------------------------------------

const database = await freshDatabase()
console.log(`soak: ${MINUTES} min at ${RATE} req/s, ${USERS} API users and ${WEB_USERS} web users, on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (embedded)'}`)
const users = prepareDatabase(database.env, { users: USERS + WEB_USERS, label: 'soak' })
const server: ServerProcess = await startServer({ ...database.env, LOG_LEVEL: 'warn' })
const pid = server.child.pid!
const rss = { start: rssMiB(pid), warm: 0, end: 0, max: 0, samples: [] as number[] }
const heap = { start: await heapMiB(server.base), warm: 0, end: 0 }
console.log(`server pid ${pid}, RSS at start ${rss.start} MiB, V8 heap used ${heap.start} MiB`)

const apiUsers = users.slice(0, USERS).map((u) => new ApiUser(u))
const webUsers = users.slice(USERS).map((u) => new WebUser(u))
for (const u of apiUsers) await u.login()
for (const u of webUsers) await u.login()

const started = Date.now()
const deadline = started + MINUTES * 60_000
const sampler = setInterval(async () => {
  const now = rssMiB(pid)
  if (Date.now() - started >= WARM_UP_MS) rss.samples.push(now)
  rss.max = Math.max(rss.max, now)
  const elapsed = Math.round((Date.now() - started) / 1000)
  console.log(`  ${elapsed}s: ${stats.requests} requests, ${stats.errors} errors, RSS ${now} MiB, heap used ${await heapMiB(server.base)} MiB`)
}, 30_000)
setTimeout(async () => {
  rss.warm = rssMiB(pid)
  heap.warm = await heapMiB(server.base)
}, WARM_UP_MS)

// web users take one request in ten of the rate, API users the rest
const webShare = WEB_USERS ? 0.1 : 0
await Promise.all([
  ...apiUsers.map((u) => paced((1000 * USERS) / (RATE * (1 - webShare)), deadline, () => u.step())),
  ...webUsers.map((u) => paced((1000 * WEB_USERS) / (RATE * webShare), deadline, () => u.step())),
])
clearInterval(sampler)
const seconds = (Date.now() - started) / 1000
rss.end = rssMiB(pid)
rss.warm ||= rss.samples[0] ?? rss.start
heap.end = await heapMiB(server.base)

const exitCode = await server.stop('SIGTERM')
if (exitCode !== 0) error(`the server stopped with exit code ${exitCode}`)
const serverErrors = server
  .output()
  .split('\n')
  .filter((line) => /"level":"(error|fatal)"/.test(line) && /"httpStatus":5\d\d|"level":"fatal"/.test(line))

// ---------------------------------------------------------------------------
// The invariants, in the rows

const failures: string[] = []
const liveTwice = await database.query<{ user_id: string }>('SELECT user_id FROM de_session WHERE live_user_id IS NOT NULL GROUP BY tnt_inst_id, user_id HAVING count(*) > 1')
if (liveTwice.length) failures.push(`users with more than one live session: ${liveTwice.map((r) => r.user_id).join(', ')}`)
const duplicates = await database.query<{ user_id: string }>('SELECT user_id FROM de_user_ar_rel GROUP BY tnt_inst_id, user_id, pd_code, ar_no HAVING count(*) > 1')
if (duplicates.length) failures.push(`duplicate relations: ${duplicates.length}`)
const events = await database.query<{ user_id: string; pd_code: string; opens: number; closes: number }>(
  `SELECT user_id, pd_code, count(*) FILTER (WHERE action = 'OPEN')::int AS opens, count(*) FILTER (WHERE action = 'CLOSE')::int AS closes
   FROM de_user_ar_event GROUP BY user_id, pd_code`,
)
const recorded = new Map(events.map((e) => [`${e.user_id} ${e.pd_code}`, e]))
let missing = 0
for (const [key, { opens, closes }] of acknowledged) {
  const row = recorded.get(key)
  // with no error every outcome is known, so the counts are equal; an unknown outcome may add one
  const exact = stats.errors === 0
  const ok = row && (exact ? row.opens === opens && row.closes === closes : row.opens >= opens && row.closes >= closes)
  if (!ok) {
    missing++
    failures.push(`${key}: acknowledged ${opens} opens / ${closes} closes, events ${row?.opens ?? 0} / ${row?.closes ?? 0}`)
  }
}
const rels = await database.query<{ user_id: string; pd_code: string }>('SELECT user_id, pd_code FROM de_user_ar_rel')
for (const u of apiUsers) {
  const inDb = rels.filter((r) => r.user_id === u.user.userId).map((r) => r.pd_code).sort().join()
  if (stats.errors === 0 && inDb !== [...u.open].sort().join()) failures.push(`${u.user.email}: relations ${inDb}, model ${[...u.open].sort().join()}`)
}
const totals = await database.query<{ sessions: number; events: number; rels: number }>(
  'SELECT (SELECT count(*)::int FROM de_session) AS sessions, (SELECT count(*)::int FROM de_user_ar_event) AS events, (SELECT count(*)::int FROM de_user_ar_rel) AS rels',
)
await database.drop()

const sorted = [...stats.latencies].sort((x, y) => x - y)
const growth = Math.round((rss.end - rss.warm) * 10) / 10
// The garbage collector makes RSS a sawtooth, so start and end alone say little:
// bounded means the peaks of the second half stay within those of the first half
// (from the warm-up on) plus 25 % or 32 MiB, whichever is more.
const half = Math.ceil(rss.samples.length / 2)
const firstPeak = Math.max(rss.warm, ...rss.samples.slice(0, half))
const secondPeak = Math.max(rss.end, ...rss.samples.slice(half))
const bounded = secondPeak <= firstPeak + Math.max(32, firstPeak * 0.25)
const acked = [...acknowledged.values()].reduce((n, v) => n + v.opens + v.closes, 0)
const report = [
  '',
  `soak finished: ${seconds.toFixed(0)} s, ${stats.requests} requests (${(stats.requests / seconds).toFixed(1)} req/s achieved of ${RATE} asked; worst lag ${Math.round(stats.lagMs)} ms)`,
  `  latency ms: p50 ${percentile(sorted, 50).toFixed(1)}, p99 ${percentile(sorted, 99).toFixed(1)}, max ${percentile(sorted, 100).toFixed(1)}`,
  `  answers: ${[...stats.byCode].sort().map(([k, n]) => `${k}×${n}`).join(' ')}`,
  `  errors: ${stats.errors}${errorSamples.length ? `\n    ${errorSamples.join('\n    ')}` : ''}`,
  `  5xx or fatal lines in the server log: ${serverErrors.length}`,
  `  server RSS MiB: start ${rss.start}, after warm-up ${rss.warm}, max ${rss.max}, end ${rss.end}; peak of the first half ${firstPeak}, of the second ${secondPeak}: ${bounded ? 'bounded' : 'NOT bounded'} (end − warm-up ${growth})`,
  `  server V8 heap used MiB: start ${heap.start}, after warm-up ${heap.warm}, end ${heap.end}`,
  `  rows: ${totals[0].sessions} sessions, ${totals[0].events} events, ${totals[0].rels} relations; ${acked} acknowledged opens/closes`,
  `  invariants: ≤ 1 live session per user ${liveTwice.length ? 'FAILED' : 'ok'}; no duplicate relation ${duplicates.length ? 'FAILED' : 'ok'}; every acknowledged open/close in the events ${missing ? 'FAILED' : 'ok'}; relations = model ${failures.some((f) => f.includes('model')) ? 'FAILED' : 'ok'}`,
  ...failures.slice(0, 20).map((f) => `    ${f}`),
]
console.log(report.join('\n'))
console.log(
  `soak-json ${JSON.stringify({ seconds: Math.round(seconds), rate: RATE, requests: stats.requests, errors: stats.errors, serverErrorLines: serverErrors.length, rssMiB: { start: rss.start, warm: rss.warm, max: rss.max, end: rss.end }, heapMiB: heap, invariantsOk: failures.length === 0, bounded })}`,
)
process.exit(stats.errors === 0 && failures.length === 0 && serverErrors.length === 0 && bounded ? 0 : 1)
