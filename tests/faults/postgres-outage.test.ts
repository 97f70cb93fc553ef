// PostgreSQL stops during a stream of calls: every answer during the outage is
// 503 unavailable (code 99) within 5 s, nothing is half-written, and when the
// server comes back the app answers again within 5 s without a restart.
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { call, startServer, waitUntil, type ServerProcess } from '../support/server-process'
import { ownPostgres, type OwnPostgres } from '../support/own-postgres'
import { prepareDatabase } from '../support/prepare-database'
import pg from 'pg'
import { LOGIN, CREATE, CLOSE, LIST } from '../support/rpc'


let postgres: OwnPostgres | undefined
let server: ServerProcess | undefined
after(async () => {
  await server?.stop('SIGKILL')
  postgres?.destroy()
})

type Answer = { at: number; ms: number; http: number; code: string }

test('a PostgreSQL outage: bounded 503 answers, no partial rows, recovery without a restart', async () => {
  postgres = await ownPostgres()
  const dbEnv = { DATABASE_URL: postgres.url }
  const [user] = prepareDatabase(dbEnv, { users: 1 })
  server = await startServer({ ...dbEnv, DB_TIMEOUT_MS: '2000' })
  const base = server.base
  const login = await call(base, LOGIN, { loginKey: user.email, loginValue: user.password })
  const token = login.json.token as string
  const body = { token, arrangementType: 'Deduction', productCode: '00000001', userId: user.userId }

  const answers: Answer[] = []
  let running = true
  const stream = async () => {
    for (let i = 0; running; i++) {
      const [method, payload] = [[CREATE, body], [LIST, body], [CLOSE, body]][i % 3] as [string, object]
      const at = Date.now()
      const started = performance.now()
      try {
        const r = await call(base, method, payload)
        answers.push({ at, ms: r.ms, http: r.http, code: String(r.json.code) })
      } catch {
        answers.push({ at, ms: performance.now() - started, http: 0, code: 'network' })
      }
    }
  }
  const workers = [stream(), stream()]
  await waitUntil(() => answers.filter((a) => a.http === 200).length >= 20, 30_000, () => 'no successful calls before the outage')

  postgres.stop()
  const down = Date.now()
  await waitUntil(() => answers.filter((a) => a.at > down + 200).length >= 20, 30_000, () => 'no answers during the outage')
  const ready = await fetch(`${base}/readyz`)
  assert.equal(ready.status, 503)

  // Taken before the restart: start() blocks this process's event loop, so a
  // request begun just before it only leaves once the database is back up and
  // rightly succeeds; only answers already received belong to the outage.
  const during = answers.filter((a) => a.at > down + 200)
  postgres.start()
  const up = Date.now()
  await waitUntil(() => answers.some((a) => a.at >= up && a.http === 200), 5_000, () => 'no success within 5 s of the database coming back')
  const firstSuccess = answers.find((a) => a.at >= up && a.http === 200)!
  running = false
  await Promise.all(workers)

  assert.ok(during.length >= 20)
  for (const a of during) {
    assert.equal(a.http, 503, `during the outage: ${JSON.stringify(a)}`)
    assert.equal(a.code, 'unavailable')
    assert.ok(a.ms < 5000, `answered within 5 s: ${JSON.stringify(a)}`)
  }
  assert.ok(firstSuccess.at + firstSuccess.ms - up < 5000)
  assert.equal((await fetch(`${base}/readyz`)).status, 200)

  // nothing half-written: every relation has its open event, and opens minus closes is the relation count
  const db = new pg.Client({ connectionString: postgres.url })
  await db.connect()
  const { rows } = await db.query(`
    SELECT (SELECT count(*) FROM de_user_ar_event WHERE user_id = $1 AND action = 'OPEN')::int AS opens,
           (SELECT count(*) FROM de_user_ar_event WHERE user_id = $1 AND action = 'CLOSE')::int AS closes,
           (SELECT count(*) FROM de_user_ar_rel WHERE user_id = $1)::int AS rels`, [user.userId])
  await db.end()
  assert.equal(rows[0].opens - rows[0].closes, rows[0].rels)
})
