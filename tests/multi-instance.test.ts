import { testDatabase } from '@/lib/testing/fresh-database'
// one database is enough: it runs on PostgreSQL whatever the suite's database (a private server when the suite has none)
// Several app processes on one PostgreSQL (the test's own database when
// DATABASE_URL is set, else a private server from tests/support/own-postgres.ts,
// so that this always runs):
//   - two instances A and B of tenant FC000001: a login on one ends the session
//     used on the other at its next request (API and browser); failed logins
//     are counted across both; an Idempotency-Key holds across both;
//   - an instance C of tenant FC000002 on the same database never sees
//     FC000001's users, sessions, products, arrangements or services, nor they its;
//   - a restart with the same AUTH_SECRET keeps browser sessions; a restart with
//     a rotated one signs every browser out cleanly (a redirect to /login, no 5xx).
// Builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { after, before, test } from 'node:test'
import { queryPostgres } from './support/query-test-database'
import { ownPostgres, type OwnPostgres } from './support/own-postgres'
import { call, startServer, type ServerProcess } from './support/server-process'
import { TEST_PASSWORD, prepareDatabase, type TestUser } from './support/prepare-database'
import { webLogin } from './support/web-login'
import { LOGIN, REFRESH, CREATE, CLOSE, LIST } from './support/rpc'
import { OTHER_TENANT, otherTenantRowsSql } from './support/other-tenant'


const TENANT_1 = 'FC000001'
// rows that exist only in tenant 2
const { tenantId: TENANT_2, productCode: T2_PRODUCT, arrangementType: T2_AR_TYPE, email: T2_EMAIL, userId: T2_USER } = OTHER_TENANT

let own: OwnPostgres | undefined
let url = ''
const secret = randomBytes(32).toString('hex')
let a: ServerProcess
let b: ServerProcess
let c: ServerProcess
// users made for this file; each test takes its own from those still unused, so no two tests share a user
let unused: TestUser[] = []
let twoTenantUser: TestUser

const sql = <T extends Record<string, unknown>>(text: string, values: unknown[] = []) => queryPostgres<T>(url, text, values)

/** Copies a tenant-1 user, login key, id and password, into tenant 2. */
async function alsoInTenant2(user: TestUser) {
  const copy = [TENANT_2, TENANT_1, user.userId]
  await sql(`INSERT INTO de_user (tnt_inst_id, user_id, user_name, user_type, user_status, gmt_create, gmt_modified)
    SELECT $1, user_id, user_name, user_type, user_status, now(), now() FROM de_user WHERE tnt_inst_id = $2 AND user_id = $3`, copy)
  await sql(`INSERT INTO de_user_credential (tnt_inst_id, login_key, user_id, password_hash, gmt_create, gmt_modified)
    SELECT $1, login_key, user_id, password_hash, now(), now() FROM de_user_credential WHERE tnt_inst_id = $2 AND user_id = $3`, copy)
}

const instance = (tenant: string, extra: Record<string, string> = {}) =>
  startServer({ DATABASE_URL: url, PGLITE_DIR: undefined, FC_TENANT_ID: tenant, AUTH_SECRET: secret, ...extra })

before(async () => {
  if (testDatabase.kind === 'postgres') url = testDatabase.url
  else {
    own = await ownPostgres()
    url = own.url
  }
  unused = prepareDatabase({ DATABASE_URL: url }, { users: 8 })
  prepareDatabase({ DATABASE_URL: url, FC_TENANT_ID: TENANT_2 })
  // one user whose login key and id exist in both tenants, as two tenants' users may
  twoTenantUser = unused.pop()!
  await alsoInTenant2(twoTenantUser)
  await sql(otherTenantRowsSql({ tenantId: TENANT_1, email: twoTenantUser.email }))
  ;[a, b, c] = await Promise.all([instance(TENANT_1), instance(TENANT_1), instance(TENANT_2)])
})

after(async () => {
  await Promise.all([a, b, c].map((s) => (s && !s.exited() ? s.stop('SIGKILL') : undefined)))
  own?.destroy()
})

const t2User = { email: T2_EMAIL, password: TEST_PASSWORD, userId: T2_USER }

async function login(server: ServerProcess, user: { email: string; password: string }) {
  const answer = await call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })
  assert.equal(answer.json.code, '00', `login of ${user.email} on ${server.base}: ${JSON.stringify(answer.json)}`)
  return answer.json as { token: string; refreshToken: string; userId: string }
}
const listCode = async (server: ServerProcess, token: string, user: { userId: string }, arrangementType = 'Deduction') =>
  (await call(server.base, LIST, { token, arrangementType, userId: user.userId })).json.code
const listed = async (server: ServerProcess, token: string, user: { userId: string }) =>
  ((await call(server.base, LIST, { token, arrangementType: 'Deduction', userId: user.userId })).json.simpliedProductInfo as { productCode: string }[]).map((p) => p.productCode)
const target = (token: string, user: { userId: string }, productCode: string, arrangementType = 'Deduction') => ({ token, arrangementType, productCode, userId: user.userId })

/** A browser session cookie, from the login form as a browser without JavaScript posts it. */
async function browserSession(server: ServerProcess, user: { email: string; password: string }): Promise<string> {
  const { cookie, status } = await webLogin(server.base, user)
  assert.ok(cookie, `no session cookie from ${server.base} (HTTP ${status})`)
  return cookie
}

/** A page as the browser would get it: the status and where a redirect points. */
async function page(server: ServerProcess, path: string, cookie?: string) {
  const res = await fetch(`${server.base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} })
  await res.arrayBuffer()
  return { status: res.status, location: res.headers.get('location') ?? '' }
}

const noServerErrors = (server: ServerProcess) => assert.doesNotMatch(server.output(), /"httpStatus":5\d\d|"level":"fatal"/, `a 5xx or a fatal line in\n${server.output().slice(-3000)}`)

test('a login on A ends the session used on B at its very next request (API)', async () => {
  const [user] = unused.splice(0, 1)
  const onB = await login(b, user)
  assert.equal(await listCode(b, onB.token, user), '00')
  assert.equal(await listCode(a, onB.token, user), '00', 'a token works on every instance')
  const onA = await login(a, user)
  assert.equal(await listCode(b, onB.token, user), '03', 'B refuses the replaced session at once')
  assert.equal((await call(b.base, REFRESH, { refreshToken: onB.refreshToken })).json.code, '03', 'and its refresh token')
  assert.equal(await listCode(a, onA.token, user), '00')
  assert.equal(await listCode(b, onA.token, user), '00')
})

test('a login on A ends the browser session used on B: the next page is the login page, saying why', async () => {
  const [user] = unused.splice(0, 1)
  const cookie = await browserSession(b, user)
  assert.equal((await page(b, '/services', cookie)).status, 200)
  assert.equal((await page(a, '/services', cookie)).status, 200, 'the cookie works on every instance')
  await login(a, user)
  const next = await page(b, '/services', cookie)
  assert.equal(next.status, 307)
  assert.match(next.location, /^\/login\?next=%2Fservices&reason=elsewhere/)
})

test('failed logins are counted across instances: 5 failures split over A and B block both (05)', async () => {
  const [user] = unused.splice(0, 1)
  // the same login key in tenant 2, which keeps its own counts
  await alsoInTenant2(user)
  const wrong = { email: user.email, password: 'wrong-password' }
  const codes: unknown[] = []
  for (const server of [a, b, a, b, a]) codes.push((await call(server.base, LOGIN, { loginKey: wrong.email, loginValue: wrong.password })).json.code)
  assert.deepEqual(codes, ['02', '02', '02', '02', '02'])
  for (const server of [a, b]) {
    const right = await call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })
    assert.equal(right.json.code, '05', `even the right password is refused on ${server.base}`)
  }
  // an unknown account is counted the same way
  const ghost = { loginKey: 'ghost@example.com', loginValue: 'whatever-pass' }
  const ghostCodes: unknown[] = []
  for (const server of [b, a, b, a, b, a]) ghostCodes.push((await call(server.base, LOGIN, ghost)).json.code)
  assert.deepEqual(ghostCodes, ['01', '01', '01', '01', '01', '05'])
  // the other tenant keeps its own counts: the same login key there is not blocked
  assert.equal((await call(c.base, LOGIN, { loginKey: user.email, loginValue: user.password })).json.code, '00')
})

test('an Idempotency-Key holds across instances, sequentially and concurrently', async () => {
  const [user] = unused.splice(0, 1)
  const { token } = await login(a, user)
  const key = randomUUID()
  assert.equal((await call(a.base, CREATE, target(token, user, '00000001'), { 'idempotency-key': key })).json.code, '00')
  assert.equal((await call(b.base, CREATE, target(token, user, '00000001'), { 'idempotency-key': key })).json.code, '00', 'B replays A\u2019s answer')
  assert.equal((await call(b.base, CREATE, target(token, user, '00000002'), { 'idempotency-key': key })).json.code, '10', 'another body with the key is refused')

  const together = randomUUID()
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, n) => call((n % 2 ? a : b).base, CLOSE, target(token, user, '00000001'), { 'idempotency-key': together })),
  )
  assert.deepEqual(new Set(answers.map((x) => x.json.code)), new Set(['00']))
  assert.deepEqual(await listed(b, token, user), [])
  const events = await sql<{ action: string; n: number }>(
    `SELECT action, count(*)::int AS n FROM de_user_ar_event WHERE tnt_inst_id = $1 AND user_id = $2 AND pd_code = '00000001' GROUP BY action ORDER BY action`,
    [TENANT_1, user.userId],
  )
  assert.deepEqual(events, [
    { action: 'CLOSE', n: 1 },
    { action: 'OPEN', n: 1 },
  ])
})

test('two tenants on one database never see each other\u2019s users, sessions, products, arrangements or services', async () => {
  const user = twoTenantUser // the same login key and user id exist in both tenants
  const one = await login(a, user)
  const two = await login(c, user)
  assert.equal(await listCode(a, one.token, user), '00', 'a login in tenant 2 does not end the same user id\u2019s session in tenant 1')
  assert.equal(await listCode(c, one.token, user), '03', 'tenant 1\u2019s token is unknown to tenant 2')
  assert.equal(await listCode(a, two.token, user), '03', 'and the other way round')
  assert.equal((await call(c.base, REFRESH, { refreshToken: one.refreshToken })).json.code, '03')
  assert.equal(await listCode(a, one.token, user), '00', 'the refresh attempt in tenant 2 did not touch tenant 1\u2019s session')

  // services: each tenant's list shows its own
  assert.equal((await call(a.base, CREATE, target(one.token, user, '00000001'))).json.code, '00')
  assert.deepEqual(await listed(a, one.token, user), ['00000001'])
  assert.deepEqual(await listed(c, two.token, user), [], 'tenant 2 does not see tenant 1\u2019s service')
  assert.equal((await call(c.base, CLOSE, target(two.token, user, '00000001'))).json.code, '17', 'nor close it')
  assert.deepEqual(await listed(a, one.token, user), ['00000001'])

  // products and arrangements of tenant 2 do not exist for tenant 1
  assert.equal((await call(a.base, CREATE, target(one.token, user, T2_PRODUCT))).json.code, '14')
  assert.equal((await call(c.base, CREATE, target(two.token, user, T2_PRODUCT))).json.code, '00')
  assert.equal(await listCode(a, one.token, user, T2_AR_TYPE), '15')
  assert.equal(await listCode(c, two.token, user, T2_AR_TYPE), '00')
  assert.deepEqual(await listed(c, two.token, user), [T2_PRODUCT])
  assert.deepEqual(await listed(a, one.token, user), ['00000001'])

  // users: tenant 2's only user does not exist for tenant 1
  assert.equal((await call(a.base, LOGIN, { loginKey: T2_EMAIL, loginValue: TEST_PASSWORD })).json.code, '01')
  const t2 = await login(c, t2User)
  assert.equal(await listCode(a, t2.token, t2User), '03')
  assert.equal(await listCode(c, two.token, t2User), '04', 'another user of the same tenant is still another user')

  // browser sessions: one tenant's cookie is nobody in the other (same AUTH_SECRET, different tenant)
  const cookie = await browserSession(a, unused.splice(0, 1)[0])
  assert.equal((await page(a, '/services', cookie)).status, 200)
  const elsewhere = await page(c, '/services', cookie)
  assert.equal(elsewhere.status, 307)
  assert.match(elsewhere.location, /^\/login\?next=%2Fservices/)

  // and in the rows: everything C wrote carries tenant 2's id
  const rels = await sql<{ tnt_inst_id: string; pd_code: string }>(`SELECT tnt_inst_id, pd_code FROM de_user_ar_rel WHERE user_id = $1 ORDER BY tnt_inst_id`, [user.userId])
  assert.deepEqual(rels, [
    { tnt_inst_id: TENANT_1, pd_code: '00000001' },
    { tnt_inst_id: TENANT_2, pd_code: T2_PRODUCT },
  ])
  const live = await sql<{ tnt_inst_id: string; n: number }>(
    `SELECT tnt_inst_id, count(*)::int AS n FROM de_session WHERE user_id = $1 AND live_user_id IS NOT NULL GROUP BY tnt_inst_id ORDER BY tnt_inst_id`,
    [user.userId],
  )
  assert.deepEqual(live, [
    { tnt_inst_id: TENANT_1, n: 1 },
    { tnt_inst_id: TENANT_2, n: 1 },
  ])
  for (const server of [a, b, c]) noServerErrors(server)
})

test('a restart with the same AUTH_SECRET signs nobody out; a rotated one signs every browser out cleanly', async () => {
  const [browserUser, apiUser] = unused.splice(0, 2)
  const cookie = await browserSession(a, browserUser)
  const { token } = await login(a, apiUser)
  assert.equal((await page(a, '/services', cookie)).status, 200)

  await a.stop('SIGTERM')
  a = await instance(TENANT_1)
  assert.equal((await page(a, '/services', cookie)).status, 200, 'the browser session survives a restart')
  assert.equal((await page(a, '/devices', cookie)).status, 200)
  assert.equal(await listCode(a, token, apiUser), '00', 'so does the API session')

  await a.stop('SIGTERM')
  a = await instance(TENANT_1, { AUTH_SECRET: randomBytes(32).toString('hex') })
  for (const path of ['/services', '/services/open', '/devices', '/services/00000001']) {
    const answer = await page(a, path, cookie)
    assert.equal(answer.status, 307, `${path} with a cookie of the old secret`)
    assert.match(answer.location, /^\/login\?next=/)
  }
  const loginPage = await page(a, '/login?next=%2Fservices', cookie)
  assert.equal(loginPage.status, 200, 'the login page itself works with the stale cookie')
  const home = await page(a, '/', cookie)
  assert.ok(home.status < 500, `GET / answered ${home.status}`)
  // a new browser login under the new secret works
  const fresh = await browserSession(a, browserUser)
  assert.equal((await page(a, '/services', fresh)).status, 200)
  // API tokens are random values checked against their stored hashes, not signed with
  // AUTH_SECRET: a rotation does not end them (an operator revokes sessions for that)
  assert.equal(await listCode(a, token, apiUser), '00')
  noServerErrors(a)
})
