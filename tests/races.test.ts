import { testDatabase } from '@/lib/testing/fresh-database'
import { testDatabaseEnv } from './support/test-database-env'
// Races through the real server: concurrent logins of one user, concurrent
// refreshes of one refresh token, concurrent opens and closes of the same
// services, and the same Idempotency-Key sent concurrently. After each, the
// answers are checked against each other and, once the server has stopped (the
// embedded database has one owner at a time), against the rows: at most one
// live session per user, no duplicate relation, one event per acknowledged open
// or close. Builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { call, startServer, type ServerProcess } from './support/server-process'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { queryTestDatabase } from './support/query-test-database'
import { LOGIN, REFRESH, CREATE, CLOSE, LIST } from './support/rpc'

const PRODUCTS = ['00000001', '00000002']

const dbEnv = testDatabaseEnv()


let server: ServerProcess
type User = TestUser
// users made for this file; each test takes its own from those still unused, so no two tests share a user
let unused: TestUser[] = []

/** Acknowledged (00) opens and closes per "user product", for the final comparison with the events. */
const acknowledged = new Map<string, { opens: number; closes: number }>()
const ack = (userId: string, product: string, kind: 'opens' | 'closes') => {
  const key = `${userId} ${product}`
  const entry = acknowledged.get(key) ?? { opens: 0, closes: 0 }
  entry[kind]++
  acknowledged.set(key, entry)
}

before(async () => {
  unused = prepareDatabase(dbEnv, { users: 19 })
  server = await startServer(dbEnv)
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

const login = (user: User) => call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })
const list = (token: string, user: User) => call(server.base, LIST, { token, arrangementType: 'Deduction', userId: user.userId, pageSize: 100 })
const target = (token: string, user: User, productCode: string) => ({ token, arrangementType: 'Deduction', productCode, userId: user.userId })

async function loggedIn(user: User): Promise<{ token: string; refreshToken: string }> {
  const answer = await login(user)
  assert.equal(answer.json.code, '00', JSON.stringify(answer.json))
  return answer.json as { token: string; refreshToken: string }
}

test('concurrent logins of one user: every one answers 00, exactly one token works afterwards', async () => {
  for (const [round, user] of unused.splice(0, 3).entries()) {
    const answers = await Promise.all(Array.from({ length: 8 }, () => login(user)))
    for (const a of answers) {
      assert.ok(a.http < 500)
      assert.equal(a.json.code, '00', `round ${round}: ${JSON.stringify(a.json)}`)
    }
    const works = await Promise.all(answers.map(async (a) => (await list(a.json.token as string, user)).json.code))
    assert.equal(works.filter((c) => c === '00').length, 1, `round ${round}: exactly one live token, got ${works.join(',')}`)
    assert.ok(works.every((c) => c === '00' || c === '03'))
  }
})

test('concurrent logins of many users do not end each other\u2019s sessions', async () => {
  const users = unused.splice(0, 6)
  const answers = await Promise.all(users.flatMap((u) => [login(u), login(u)]))
  for (const [i, user] of users.entries()) {
    const pair = [answers[2 * i], answers[2 * i + 1]]
    assert.ok(pair.every((a) => a.json.code === '00'))
    const codes = await Promise.all(pair.map(async (a) => (await list(a.json.token as string, user)).json.code))
    assert.deepEqual(codes.sort(), ['00', '03'], `${user.email}: one of its two logins lives`)
  }
})

test('concurrent refreshes of one refresh token: at most one new pair, and at most one pair works', async () => {
  for (const user of unused.splice(0, 4)) {
    const session = await loggedIn(user)
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(server.base, REFRESH, { refreshToken: session.refreshToken })))
    for (const a of answers) assert.ok(['00', '03'].includes(a.json.code as string), JSON.stringify(a.json))
    const winners = answers.filter((a) => a.json.code === '00')
    assert.ok(winners.length <= 1, `${user.email}: ${winners.length} refreshes of one token succeeded`)
    // a reuse ends the session, so the winner's pair may be dead too: never more than one alive
    const live = await Promise.all(winners.map(async (w) => (await list(w.json.token as string, user)).json.code === '00'))
    assert.ok(live.filter(Boolean).length <= 1)
    const liveRefresh = await Promise.all(winners.map(async (w) => (await call(server.base, REFRESH, { refreshToken: w.json.refreshToken })).json.code === '00'))
    assert.ok(liveRefresh.filter(Boolean).length <= 1)
    // the old access token never survives a refresh race
    assert.equal((await list(session.token, user)).json.code, '03')
  }
})

test('concurrent opens and closes of the same services end consistent', async () => {
  const users = unused.splice(0, 4)
  const tokens = await Promise.all(users.map(async (u) => (await loggedIn(u)).token))
  for (let round = 0; round < 3; round++) {
    const requests = users.flatMap((user, i) =>
      Array.from({ length: 12 }, (_, n) => {
        const product = PRODUCTS[n % 2]
        const method = (n + round + i) % 3 === 0 ? CLOSE : CREATE
        return { user, token: tokens[i], product, method }
      }),
    )
    // shuffled, so that opens and closes of one service meet in every order
    requests.sort(() => Math.random() - 0.5)
    const answers = await Promise.all(requests.map((r) => call(server.base, r.method, target(r.token, r.user, r.product))))
    for (const [i, a] of answers.entries()) {
      const r = requests[i]
      assert.ok(a.http < 500)
      const allowed = r.method === CREATE ? ['00', '16'] : ['00', '17']
      assert.ok(allowed.includes(a.json.code as string), `${r.method} ${r.product}: ${JSON.stringify(a.json)}`)
      if (a.json.code === '00') ack(r.user.userId, r.product, r.method === CREATE ? 'opens' : 'closes')
    }
  }
  for (const [i, user] of users.entries()) {
    const open = new Set(((await list(tokens[i], user)).json.simpliedProductInfo as { productCode: string }[]).map((p) => p.productCode))
    for (const product of PRODUCTS) {
      const { opens = 0, closes = 0 } = acknowledged.get(`${user.userId} ${product}`) ?? {}
      // acknowledged opens and closes alternate: the balance is what is open now
      assert.ok(opens - closes === 0 || opens - closes === 1, `${user.email} ${product}: ${opens} opens, ${closes} closes acknowledged`)
      assert.equal(open.has(product), opens - closes === 1, `${user.email} ${product}: the list agrees with the acknowledged answers`)
    }
  }
})

test('the same Idempotency-Key sent concurrently runs once', async () => {
  const [user] = unused.splice(0, 1)
  const { token } = await loggedIn(user)
  const openKey = randomUUID()
  const opens = await Promise.all(Array.from({ length: 8 }, () => call(server.base, CREATE, target(token, user, '00000001'), { 'idempotency-key': openKey })))
  assert.deepEqual(new Set(opens.map((a) => a.json.code)), new Set(['00']), 'every copy gets the first answer')
  ack(user.userId, '00000001', 'opens')

  const closeKey = randomUUID()
  const closes = await Promise.all(Array.from({ length: 8 }, () => call(server.base, CLOSE, target(token, user, '00000001'), { 'idempotency-key': closeKey })))
  assert.deepEqual(new Set(closes.map((a) => a.json.code)), new Set(['00']))
  ack(user.userId, '00000001', 'closes')

  // one key, two different bodies at once: one body runs, the other is refused (10)
  const sharedKey = randomUUID()
  const mixed = await Promise.all(
    Array.from({ length: 8 }, (_, n) => {
      const product = PRODUCTS[n % 2]
      return call(server.base, CREATE, target(token, user, product), { 'idempotency-key': sharedKey }).then((a) => ({ product, code: a.json.code }))
    }),
  )
  const ran = mixed.filter((m) => m.code === '00')
  assert.ok(ran.length >= 1, JSON.stringify(mixed))
  assert.equal(new Set(ran.map((m) => m.product)).size, 1, 'only one body ran')
  for (const m of mixed) assert.equal(m.code, m.product === ran[0].product ? '00' : '10', JSON.stringify(mixed))
  ack(user.userId, ran[0].product, 'opens')

  // a retry long after gets the stored answer and runs nothing
  const retry = await call(server.base, CREATE, target(token, user, ran[0].product), { 'idempotency-key': sharedKey })
  assert.equal(retry.json.code, '00')
  const open = ((await list(token, user)).json.simpliedProductInfo as { productCode: string }[]).map((p) => p.productCode)
  assert.deepEqual(open, [ran[0].product])
})

test('40 wrong passwords for one account at once: at most LOGIN_MAX_FAILURES answer 02, the rest 05, none 5xx', async () => {
  const [user] = unused.splice(0, 1)
  const answers = await Promise.all(Array.from({ length: 40 }, () => call(server.base, LOGIN, { loginKey: user.email, loginValue: 'wrong-password' })))
  const codes: Record<string, number> = {}
  for (const a of answers) {
    assert.ok(a.http < 500, JSON.stringify(a.json))
    codes[a.json.code as string] = (codes[a.json.code as string] ?? 0) + 1
  }
  console.log(`40 parallel wrong passwords through the server on ${testDatabase.kind}: ${JSON.stringify(codes)}`)
  // the server runs with the default LOGIN_MAX_FAILURES, 5
  assert.deepEqual(codes, { '02': 5, '05': 35 })
})

test('afterwards the rows agree: one live session per user at most, no duplicate relation, one event per acknowledged answer', async () => {
  assert.equal(await server.stop('SIGTERM'), 0, server.output().slice(-2000))
  const live = await queryTestDatabase<{ user_id: string; n: number }>(
    'SELECT user_id, count(*)::int AS n FROM de_session WHERE live_user_id IS NOT NULL GROUP BY user_id HAVING count(*) > 1',
  )
  assert.deepEqual(live, [])
  const duplicates = await queryTestDatabase('SELECT tnt_inst_id, user_id, pd_code, ar_no FROM de_user_ar_rel GROUP BY 1, 2, 3, 4 HAVING count(*) > 1')
  assert.deepEqual(duplicates, [])
  const events = await queryTestDatabase<{ user_id: string; pd_code: string; opens: number; closes: number }>(
    `SELECT user_id, pd_code, count(*) FILTER (WHERE action = 'OPEN')::int AS opens, count(*) FILTER (WHERE action = 'CLOSE')::int AS closes
     FROM de_user_ar_event GROUP BY user_id, pd_code`,
  )
  const found = new Map(events.map((e) => [`${e.user_id} ${e.pd_code}`, { opens: e.opens, closes: e.closes }]))
  assert.deepEqual(Object.fromEntries([...found].sort()), Object.fromEntries([...acknowledged].sort()), 'events are exactly the acknowledged opens and closes')
  const rels = await queryTestDatabase<{ user_id: string; pd_code: string }>('SELECT user_id, pd_code FROM de_user_ar_rel')
  for (const [key, { opens, closes }] of acknowledged) {
    assert.equal(rels.some((r) => `${r.user_id} ${r.pd_code}` === key), opens - closes === 1, `${key}: the relation matches the events`)
  }
})
