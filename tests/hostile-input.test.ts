import '@/lib/testing/fresh-database'
import { testDatabaseEnv } from './support/test-database-env'
// The hostile-input catalogue: every API call fed over-long fields (emoji and CJK
// too), NUL and control characters, SQL-looking strings, wrong JSON types, nested
// objects, __proto__ keys, missing / empty / null fields, huge and malformed
// bodies, wrong content types and methods, forged / expired / revoked / malformed
// bearer tokens, a refresh token as an access token, another user's userId and
// another tenant's product and arrangement. Every answer must be the specific
// code docs/product.md#order-of-checks gives (or the Connect protocol error for what never reaches a
// handler), never a 5xx; and the database must be unchanged afterwards.
// Prints "hostile inputs: N tried, M 5xx". It builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { gzipSync } from 'node:zlib'
import { after, before, test } from 'node:test'
import { call, startServer, waitUntil, type ServerProcess } from './support/server-process'
import { TEST_PASSWORD, prepareDatabase, type TestUser } from './support/prepare-database'
import { LOGIN, REFRESH, LOGOUT, CREATE, CLOSE, LIST, MODIFY, CATALOGUE, DETAIL, SESSIONS } from './support/rpc'
import { OTHER_TENANT as OTHER_TENANT_ROWS, otherTenantRowsSql } from './support/other-tenant'
import { queryTestDatabase } from './support/query-test-database'


// rows of another tenant in the same database (docs/product.md#what-it-is: tenants may share one)
const { tenantId: OTHER_TENANT, productCode: OTHER_TENANT_PRODUCT, arrangementType: OTHER_TENANT_AR_TYPE, userId: OTHER_TENANT_USER } = OTHER_TENANT_ROWS

const dbEnv = testDatabaseEnv()

const TABLES = ['de_prod', 'de_ar', 'de_user', 'de_user_credential', 'de_user_ar_rel', 'de_user_ar_event', 'de_idempotency', 'de_session'] as const
async function rowCounts(): Promise<Record<string, number>> {
  const [row] = await queryTestDatabase<Record<string, number>>(`SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`)
  return row
}

// ---------------------------------------------------------------------------
// The tally and one attempt

type Expect = { http: number | number[]; code?: string; connect?: string }
type Attempt = {
  label: string
  call: string
  body?: unknown
  /** sent as is instead of JSON.stringify(body) */
  raw?: string | Uint8Array | ReadableStream<Uint8Array>
  headers?: Record<string, string>
  method?: string
  /** the request carries no Content-Type at all */
  noContentType?: boolean
  expect: Expect
}

const tally = { tried: 0, fivexx: 0, successfulLogins: 0 }

/** Collects the mismatches of one group, so that a failure lists all of them at once. */
class Group {
  readonly mismatches: string[] = []
  constructor(readonly name: string) {}

  async try(a: Attempt): Promise<{ http: number; json: Record<string, unknown> }> {
    const headers: Record<string, string> = { ...(a.noContentType ? {} : { 'content-type': 'application/json' }), ...a.headers }
    let body = (a.raw ?? (a.body === undefined ? undefined : JSON.stringify(a.body))) as BodyInit | undefined
    // a string body would make fetch add text/plain; bytes carry no type
    if (a.noContentType && typeof body === 'string') body = new TextEncoder().encode(body)
    const method = a.method ?? 'POST'
    const res = await fetch(`${server.base}/api/${a.call}`, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' ? undefined : body,
      signal: AbortSignal.timeout(30_000),
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit)
    const text = await res.text()
    let json: Record<string, unknown> = {}
    try {
      json = JSON.parse(text) as Record<string, unknown>
    } catch {
      // not every protocol error has a JSON body (415, 405)
    }
    this.check(`${method} ${a.call} · ${a.label}`, res.status, json, text, a.expect)
    if (a.call === LOGIN && json.code === '00') tally.successfulLogins++
    return { http: res.status, json }
  }

  check(label: string, http: number, json: Record<string, unknown>, text: string, expect: Expect) {
    tally.tried++
    if (http >= 500) tally.fivexx++
    const statuses = Array.isArray(expect.http) ? expect.http : [expect.http]
    const problems: string[] = []
    if (!statuses.includes(http)) problems.push(`HTTP ${http}, wanted ${statuses.join(' or ')}`)
    if (expect.code !== undefined && json.code !== expect.code) problems.push(`code ${String(json.code)}, wanted ${expect.code}`)
    if (expect.connect !== undefined && json.code !== expect.connect) problems.push(`Connect code ${String(json.code)}, wanted ${expect.connect}`)
    if (problems.length) this.mismatches.push(`${label}: ${problems.join('; ')} — ${text.slice(0, 160)}`)
  }

  assertAll() {
    assert.deepEqual(this.mismatches, [], `${this.name}: ${this.mismatches.length} answers differ from docs/product.md`)
  }
}

const business = (code: string): Expect => ({ http: 200, code })
const protocol = (http: number | number[], connect?: string): Expect => ({ http, connect })
const BAD_JSON = protocol(400, 'invalid_argument')

// ---------------------------------------------------------------------------
// Hostile values for one field

type Kind = 'valid' | 'invalid' | 'type'
type Value = { label: string; value: unknown; kind: Kind }

const chars = (s: string) => [...s].length

/** Hostile values for a single-line text field of at most `max` characters (a varchar(max) column). */
function textValues(max: number): Value[] {
  const sized = (label: string, value: string): Value => ({ label, value, kind: chars(value) <= max ? 'valid' : 'invalid' })
  return [
    { label: `${max + 1} ASCII characters`, value: 'x'.repeat(max + 1), kind: 'invalid' },
    { label: `${max + 1} emoji (over-long by characters)`, value: '😀'.repeat(max + 1), kind: 'invalid' },
    { label: `${max} emoji (at the limit by characters, twice that in UTF-16)`, value: '😀'.repeat(max), kind: 'valid' },
    { label: `${max + 1} CJK characters`, value: '扣'.repeat(max + 1), kind: 'invalid' },
    { label: `${max} CJK characters`, value: '扣'.repeat(max), kind: 'valid' },
    { label: '60 KiB string', value: 'y'.repeat(60 * 1024), kind: 'invalid' },
    { label: 'NUL inside', value: 'a\u0000b', kind: 'invalid' },
    { label: 'NUL only', value: '\u0000', kind: 'invalid' },
    { label: 'SOH inside', value: 'a\u0001b', kind: 'invalid' },
    { label: 'newline inside', value: 'a\nb', kind: 'invalid' },
    { label: 'CRLF inside', value: 'a\r\nb', kind: 'invalid' },
    { label: 'tab inside', value: 'a\tb', kind: 'invalid' },
    { label: 'ESC sequence', value: 'a\u001b[31mb', kind: 'invalid' },
    { label: 'DEL inside', value: 'a\u007fb', kind: 'invalid' },
    { label: 'C1 control (NEL) inside', value: 'a\u0085b', kind: 'invalid' },
    { label: 'line separator U+2028 inside', value: 'a\u2028b', kind: 'invalid' },
    { label: 'empty', value: '', kind: 'invalid' },
    { label: 'spaces only', value: '   ', kind: 'invalid' },
    { label: 'no-break and ideographic spaces only', value: '\u00a0\u3000', kind: 'invalid' },
    { label: 'null (proto3 JSON: absent)', value: null, kind: 'invalid' },
    sized('SQL tautology', "' OR '1'='1"),
    sized('SQL stacked statement', "1'; DROP TABLE de_user_ar_rel;--"),
    sized('SQL comment', "00000001'--"),
    sized('SQL sleep', "';SELECT pg_sleep(5);--"),
    sized('LIKE wildcards', '%_%'),
    sized('backslash', '\\'),
    sized('percent-encoded NUL', '%00'),
    sized('HTML', '<script>alert(1)</script>'),
    sized('template', '{{7*7}}${7*7}'),
    sized('path traversal', '../../etc/passwd'),
    sized('right-to-left override', 'abc\u202edef'),
    sized('zero-width space', 'a\u200bb'),
    sized('fullwidth letters', 'ｐｒｏｄｕｃｔ'),
    { label: 'lone surrogate (not UTF-8)', value: '\ud800', kind: 'type' },
    { label: 'number', value: 1, kind: 'type' },
    { label: 'negative float', value: -1.5, kind: 'type' },
    { label: 'boolean', value: true, kind: 'type' },
    { label: 'array', value: ['00000001'], kind: 'type' },
    { label: 'empty array', value: [], kind: 'type' },
    { label: 'nested object', value: { value: '00000001' }, kind: 'type' },
    { label: 'query-operator object', value: { $gt: '' }, kind: 'type' },
    { label: '__proto__ object', value: JSON.parse('{"__proto__":{"admin":true}}') as unknown, kind: 'type' },
  ]
}

/** Values of a token field: everything but the real token answers 03. */
function tokenValues(t: Tokens): Value[] {
  const forged = 'fca_' + randomBytes(32).toString('base64url')
  return [
    { label: 'forged, well-shaped', value: forged, kind: 'invalid' },
    { label: 'the refresh token', value: t.refresh, kind: 'invalid' },
    { label: 'a revoked token (replaced by a later login)', value: t.revoked, kind: 'invalid' },
    { label: 'a logged-out token', value: t.loggedOut, kind: 'invalid' },
    { label: 'another user\u2019s refresh token', value: t.otherRefresh, kind: 'invalid' },
    { label: 'one character short', value: t.access.slice(0, -1), kind: 'invalid' },
    { label: 'one character long', value: t.access + 'A', kind: 'invalid' },
    { label: 'upper-case prefix', value: 'FCA_' + t.access.slice(4), kind: 'invalid' },
    { label: 'trailing newline', value: t.access + '\n', kind: 'invalid' },
    { label: 'NUL appended', value: t.access + '\u0000', kind: 'invalid' },
    { label: 'emoji body', value: 'fca_' + '😀'.repeat(43), kind: 'invalid' },
    { label: 'SQL tautology', value: "' OR '1'='1", kind: 'invalid' },
    { label: '60 KiB', value: 'fca_' + 'x'.repeat(60 * 1024), kind: 'invalid' },
    { label: 'percent signs', value: '%%', kind: 'invalid' },
    { label: 'a JWT-looking string', value: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', kind: 'invalid' },
    { label: 'empty', value: '', kind: 'invalid' },
    { label: 'null', value: null, kind: 'invalid' },
    { label: 'number', value: 42, kind: 'type' },
    { label: 'boolean', value: false, kind: 'type' },
    { label: 'array', value: [t.access], kind: 'type' },
    { label: 'nested object', value: { token: t.access }, kind: 'type' },
  ]
}

/** Authorization header variants with an empty body token: all 03, and the real token works in any case of "Bearer". */
function bearerHeaders(t: Tokens): { label: string; value: string; works: boolean }[] {
  return [
    { label: 'Bearer %%', value: 'Bearer %%', works: false },
    { label: 'Bearer alone', value: 'Bearer', works: false },
    { label: 'Bearer and spaces', value: 'Bearer    ', works: false },
    { label: 'Bearer forged', value: 'Bearer fca_' + randomBytes(32).toString('base64url'), works: false },
    { label: 'Bearer refresh token', value: `Bearer ${t.refresh}`, works: false },
    { label: 'Bearer revoked token', value: `Bearer ${t.revoked}`, works: false },
    { label: 'Bearer token and junk', value: `Bearer ${t.access} junk`, works: false },
    { label: 'Basic scheme', value: `Basic ${t.access}`, works: false },
    { label: 'token without scheme', value: t.access, works: false },
    { label: 'Bearer 8 KiB', value: 'Bearer ' + 'x'.repeat(8 * 1024), works: false },
    { label: 'Bearer Latin-1 bytes', value: 'Bearer fca_\u00ff\u00fe', works: false },
    { label: 'lower-case bearer with the real token', value: `bearer ${t.access}`, works: true },
  ]
}

// ---------------------------------------------------------------------------
// The server and the actors

type Tokens = { access: string; refresh: string; revoked: string; loggedOut: string; otherRefresh: string }

let server: ServerProcess
let before_: Record<string, number>
let userA: TestUser // the acting user of every authenticated call
let userB: TestUser // "another user"
let loginUser: TestUser // the Login cases' account: its sessions serve nothing else
let loggedOutUser: TestUser // signs in and out once, for a logged-out token
let expiringUser: TestUser // the expired-token test's
let tokens: Tokens

async function login(user: { email: string; password: string }) {
  const answer = await call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })
  assert.equal(answer.json.code, '00', JSON.stringify(answer.json))
  tally.successfulLogins++
  return answer.json as { token: string; refreshToken: string }
}

before(async () => {
  ;[userA, userB, loginUser, loggedOutUser, expiringUser] = prepareDatabase(dbEnv, { users: 5 })
  await queryTestDatabase(otherTenantRowsSql({ tenantId: 'FC000001', email: loginUser.email }))
  before_ = await rowCounts()
  // failed logins are counted (05) per account and per address; this catalogue
  // makes more of them on purpose than a person would
  server = await startServer({ ...dbEnv, LOGIN_MAX_FAILURES: '1000' })
  const revoked = await login(userA)
  const a = await login(userA)
  const d = await login(loggedOutUser)
  assert.equal((await call(server.base, LOGOUT, { token: d.token })).json.code, '00')
  const b = await login(userB)
  tokens = { access: a.token, refresh: a.refreshToken, revoked: revoked.token, loggedOut: d.token, otherRefresh: b.refreshToken }
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

// ---------------------------------------------------------------------------
// The calls that need a token: each field, then the token, then the header

type AuthCall = {
  call: string
  /** a body whose every field is fine, answered with `baseCode` */
  base: () => Record<string, unknown>
  baseCode: string
  /** the code for a field value that passes validation but names nothing that exists (or someone else) */
  validCode: Record<string, string>
}

const authCalls = (): AuthCall[] => [
  {
    // a product that does not exist: nothing is ever opened by this catalogue
    call: CREATE,
    base: () => ({ token: tokens.access, arrangementType: 'Deduction', productCode: '99999999', userId: userA.userId }),
    baseCode: '14',
    validCode: { arrangementType: '15', productCode: '14', userId: '04' },
  },
  {
    // a real product that is not open
    call: CLOSE,
    base: () => ({ token: tokens.access, arrangementType: 'Deduction', productCode: '00000001', userId: userA.userId }),
    baseCode: '17',
    validCode: { arrangementType: '15', productCode: '14', userId: '04' },
  },
  {
    call: LIST,
    base: () => ({ token: tokens.access, arrangementType: 'Deduction', userId: userA.userId }),
    baseCode: '00',
    validCode: { arrangementType: '15', userId: '04' },
  },
  {
    // a change of a service that is not open
    call: MODIFY,
    base: () => ({ token: tokens.access, arrangementType: 'Deduction', productCode: '00000001', userId: userA.userId, propertyValues: { paymentMethod: 'BANK_CARD' } }),
    baseCode: '17',
    validCode: { arrangementType: '15', productCode: '14', userId: '04' },
  },
  {
    call: CATALOGUE,
    base: () => ({ token: tokens.access, arrangementType: 'Deduction', userId: userA.userId }),
    baseCode: '00',
    validCode: { arrangementType: '15', userId: '04' },
  },
  {
    call: DETAIL,
    base: () => ({ token: tokens.access, arrangementType: 'Deduction', productCode: '00000001', userId: userA.userId }),
    baseCode: '00',
    validCode: { arrangementType: '15', productCode: '14', userId: '04' },
  },
  {
    call: SESSIONS,
    base: () => ({ token: tokens.access }),
    baseCode: '00',
    validCode: {},
  },
]

const expectFor = (kind: Kind, valid: string, invalid = '10'): Expect => (kind === 'type' ? BAD_JSON : business(kind === 'valid' ? valid : invalid))

for (const spec of [CREATE, CLOSE, LIST, MODIFY, CATALOGUE, DETAIL]) {
  test(`${spec}: every field's hostile values answer 10 (or the next check's code), wrong types 400`, async () => {
    const c = authCalls().find((x) => x.call === spec)!
    const group = new Group(spec)
    await group.try({ label: 'the base request', call: c.call, body: c.base(), expect: business(c.baseCode) })
    for (const field of Object.keys(c.validCode)) {
      for (const v of textValues(32)) {
        await group.try({ label: `${field}: ${v.label}`, call: c.call, body: { ...c.base(), [field]: v.value }, expect: expectFor(v.kind, c.validCode[field]) })
      }
      const { [field]: _omitted, ...rest } = c.base()
      void _omitted
      await group.try({ label: `${field} missing`, call: c.call, body: rest, expect: business('10') })
    }
    group.assertAll()
  })
}

test('the list call: pageSize and pageToken', async () => {
  const group = new Group(LIST)
  const base = { token: tokens.access, arrangementType: 'Deduction', userId: userA.userId }
  const pageSizes: [string, unknown, Expect][] = [
    ['negative', -1, business('10')],
    ['101 (above the maximum)', 101, business('10')],
    ['int32 maximum', 2147483647, business('10')],
    ['beyond int32', 2147483648, BAD_JSON],
    ['below int32', -2147483649, BAD_JSON],
    ['fraction', 1.5, BAD_JSON],
    ['1e30', 1e30, BAD_JSON],
    ['text', 'abc', BAD_JSON],
    ['padded numeric text', ' 5', BAD_JSON],
    ['boolean', true, BAD_JSON],
    ['array', [5], BAD_JSON],
    ['object', { n: 5 }, BAD_JSON],
    ['numeric text (proto3 JSON allows it)', '5', business('00')],
    ['zero (proto3: unset, the default)', 0, business('00')],
    ['null (proto3: unset)', null, business('00')],
    ['the maximum', 100, business('00')],
  ]
  for (const [label, value, expect] of pageSizes) await group.try({ label: `pageSize ${label}`, call: LIST, body: { ...base, pageSize: value }, expect })
  const pageTokens: [string, unknown, Expect][] = [
    ['garbage', 'garbage', business('10')],
    ['%%', '%%', business('10')],
    ['201 characters', 'A'.repeat(201), business('10')],
    ['NUL', '\u0000', business('10')],
    ['SQL', "' OR 1=1--", business('10')],
    ['base64 of a non-id', Buffer.from("' OR 1=1 --").toString('base64url'), business('10')],
    ['emoji', '😀'.repeat(10), business('10')],
    // page tokens are sealed (docs/product.md#page-tokens-and-cursors): the old plain form is refused
    ['the old plain form of a token', Buffer.from('f'.repeat(32)).toString('base64url'), business('10')],
    ['an out-of-range plain cursor', 'c1.9223372036854775808.1', business('10')],
    ['the sealed form with a made-up seal', `c2.${Buffer.from('f'.repeat(32)).toString('base64url')}.${'A'.repeat(43)}`, business('10')],
    ['number', 7, BAD_JSON],
    ['object', {}, BAD_JSON],
  ]
  for (const [label, value, expect] of pageTokens) await group.try({ label: `pageToken ${label}`, call: LIST, body: { ...base, pageToken: value }, expect })
  group.assertAll()
})

test('tokens: forged, expired-shaped, revoked, logged out, refresh-as-access, wrong types — 03 before any other check', async () => {
  const group = new Group('tokens')
  for (const c of [...authCalls(), { call: LOGOUT, base: () => ({ token: tokens.access }), baseCode: '00', validCode: {} }]) {
    for (const v of tokenValues(tokens)) {
      await group.try({ label: `token ${v.label}`, call: c.call, body: { ...c.base(), token: v.value }, expect: v.kind === 'type' ? BAD_JSON : business('03') })
    }
    const { token: _t, ...noToken } = c.base()
    void _t
    await group.try({ label: 'token missing', call: c.call, body: noToken, expect: business('03') })
    if (c.call === LOGOUT) continue
    // the token is checked first: an unauthenticated caller learns nothing about the fields
    if (c.call !== SESSIONS) {
      await group.try({ label: 'forged token and an over-long field', call: c.call, body: { ...c.base(), token: 'fca_' + 'z'.repeat(43), userId: '😀'.repeat(33) }, expect: business('03') })
      await group.try({ label: 'no token and another user', call: c.call, body: { ...noToken, userId: userB.userId }, expect: business('03') })
    }
    // a forged body token is not rescued by a good header: the body is the token asked about
    await group.try({ label: 'forged body token, real bearer header', call: c.call, body: { ...c.base(), token: 'fca_' + 'q'.repeat(43) }, headers: { authorization: `Bearer ${tokens.access}` }, expect: business('03') })
    for (const h of bearerHeaders(tokens)) {
      await group.try({ label: `Authorization: ${h.label}`, call: c.call, body: { ...noToken, token: '' }, headers: { authorization: h.value }, expect: business(h.works ? c.baseCode : '03') })
    }
  }
  for (const h of bearerHeaders(tokens).filter((x) => !x.works)) {
    await group.try({ label: `Authorization: ${h.label}`, call: LOGOUT, body: {}, headers: { authorization: h.value }, expect: business('03') })
  }
  group.assertAll()
})

test('the order of checks: fields (10) before user (04) before arrangement (15) before product (14)', async () => {
  const group = new Group('order')
  const base = { token: tokens.access, arrangementType: 'Deduction', productCode: '00000001', userId: userA.userId }
  for (const spec of [CREATE, CLOSE, MODIFY, DETAIL]) {
    await group.try({ label: 'bad field and another user', call: spec, body: { ...base, productCode: 'x\u0000', userId: userB.userId }, expect: business('10') })
    await group.try({ label: 'another user and unknown arrangement', call: spec, body: { ...base, userId: userB.userId, arrangementType: 'Nope' }, expect: business('04') })
    await group.try({ label: 'unknown arrangement and unknown product', call: spec, body: { ...base, arrangementType: 'Nope', productCode: '99999999' }, expect: business('15') })
    await group.try({ label: 'another user (the same id in lower case)', call: spec, body: { ...base, userId: userA.userId.toLowerCase() }, expect: business('04') })
    await group.try({ label: 'another tenant\u2019s user id', call: spec, body: { ...base, userId: OTHER_TENANT_USER }, expect: business('04') })
    await group.try({ label: 'another tenant\u2019s product', call: spec, body: { ...base, productCode: OTHER_TENANT_PRODUCT }, expect: business('14') })
    await group.try({ label: 'another tenant\u2019s arrangement type', call: spec, body: { ...base, arrangementType: OTHER_TENANT_AR_TYPE }, expect: business('15') })
    await group.try({ label: 'arrangement type in lower case', call: spec, body: { ...base, arrangementType: 'deduction' }, expect: business('15') })
  }
  await group.try({ label: 'another tenant\u2019s arrangement type', call: LIST, body: { ...base, productCode: undefined, arrangementType: OTHER_TENANT_AR_TYPE }, expect: business('15') })
  await group.try({ label: 'another user', call: LIST, body: { token: tokens.access, arrangementType: 'Deduction', userId: userB.userId }, expect: business('04') })
  group.assertAll()
})

// ---------------------------------------------------------------------------
// The calls without a token

test('user.User/Login: fields answer 10, then 01 / 02; wrong types 400', async () => {
  const group = new Group(LOGIN)
  const base = { loginKey: loginUser.email, loginValue: loginUser.password }
  await group.try({ label: 'the base request', call: LOGIN, body: base, expect: business('00') })
  for (const v of textValues(255)) {
    // a login key must also be an e-mail address: none of the text values is one
    await group.try({ label: `loginKey: ${v.label}`, call: LOGIN, body: { ...base, loginKey: v.value }, expect: v.kind === 'type' ? BAD_JSON : business('10') })
  }
  const emails: [string, string, string][] = [
    ['unknown address', 'nobody@example.com', '01'],
    ['apostrophe (a valid address, unknown)', "o'brien@example.com", '01'],
    ['SQL comment in a valid address', "admin'--@example.com", '01'],
    ['SQL tautology', "' OR '1'='1", '10'],
    ['SQL tautology before the domain', "x' OR 1=1--@example.com", '10'],
    ['SQL after the domain', `${loginUser.email}'--`, '10'],
    ['LIKE wildcard', '%@example.com', '10'],
    ['right-to-left override', '\u202eevil@example.com', '10'],
    ['zero-width space', 'e2e09\u200b@example.com', '10'],
    ['emoji local part', '😀@example.com', '10'],
    ['256 characters', 'a'.repeat(244) + '@example.com', '10'],
    ['upper case (login keys are case-insensitive)', loginUser.email.toUpperCase(), '00'],
    ['surrounding spaces (trimmed)', `  ${loginUser.email}  `, '00'],
  ]
  for (const [label, value, code] of emails) await group.try({ label: `loginKey ${label}`, call: LOGIN, body: { ...base, loginKey: value }, expect: business(code) })
  await group.try({ label: 'loginKey missing', call: LOGIN, body: { loginValue: loginUser.password }, expect: business('10') })

  const passwords: [string, unknown, Expect][] = [
    ['empty', '', business('10')],
    ['null', null, business('10')],
    ['NUL inside', 'pass\u0000word', business('10')],
    ['257 characters', 'p'.repeat(257), business('10')],
    ['257 emoji', '😀'.repeat(257), business('10')],
    ['60 KiB', 'p'.repeat(60 * 1024), business('10')],
    ['256 emoji (allowed length, wrong)', '😀'.repeat(256), business('02')],
    ['newline and tab (allowed in passwords, wrong)', 'pass\n\tword', business('02')],
    ['SQL tautology (wrong)', "' OR '1'='1", business('02')],
    ['the right one with a trailing space (not trimmed: wrong)', `${TEST_PASSWORD} `, business('02')],
    ['lone surrogate', '\ud800', BAD_JSON],
    ['number', 123456, BAD_JSON],
    ['boolean', true, BAD_JSON],
    ['array', [TEST_PASSWORD], BAD_JSON],
    ['object', { value: TEST_PASSWORD }, BAD_JSON],
  ]
  for (const [label, value, expect] of passwords) await group.try({ label: `loginValue ${label}`, call: LOGIN, body: { ...base, loginValue: value }, expect })
  await group.try({ label: 'loginValue missing', call: LOGIN, body: { loginKey: loginUser.email }, expect: business('10') })
  // a field checked before the account: an invalid password of an unknown account is 10, not 01
  await group.try({ label: 'unknown account, NUL password', call: LOGIN, body: { loginKey: 'nobody@example.com', loginValue: '\u0000' }, expect: business('10') })
  await group.try({ label: 'another tenant\u2019s user cannot log in here', call: LOGIN, body: { loginKey: 't2only@example.com', loginValue: TEST_PASSWORD }, expect: business('01') })
  group.assertAll()
})

test('user.User/Refresh and user.User/Logout: anything but a live token answers 03', async () => {
  const group = new Group('refresh/logout')
  const forgedRefresh = 'fcr_' + randomBytes(32).toString('base64url')
  const refreshValues: [string, unknown, Expect][] = [
    ['forged, well-shaped', forgedRefresh, business('03')],
    ['an access token', tokens.access, business('03')],
    ['upper-case prefix', 'FCR_' + tokens.refresh.slice(4), business('03')],
    ['one character short', tokens.refresh.slice(0, -1), business('03')],
    ['NUL appended', tokens.refresh + '\u0000', business('03')],
    ['SQL', "' OR '1'='1", business('03')],
    ['60 KiB', 'fcr_' + 'r'.repeat(60 * 1024), business('03')],
    ['emoji', '😀'.repeat(47), business('03')],
    ['empty', '', business('03')],
    ['null', null, business('03')],
    ['number', 1, BAD_JSON],
    ['array', [tokens.refresh], BAD_JSON],
    ['object', { refreshToken: tokens.refresh }, BAD_JSON],
  ]
  for (const [label, value, expect] of refreshValues) await group.try({ label: `refreshToken ${label}`, call: REFRESH, body: { refreshToken: value }, expect })
  await group.try({ label: 'refreshToken missing', call: REFRESH, body: {}, expect: business('03') })
  await group.try({ label: 'refresh token in the Authorization header only', call: REFRESH, body: {}, headers: { authorization: `Bearer ${tokens.refresh}` }, expect: business('03') })
  group.assertAll()
})

// ---------------------------------------------------------------------------
// Whole bodies and the protocol

test('malformed bodies, __proto__ keys, unknown fields', async () => {
  const group = new Group('bodies')
  const calls: [string, string, string][] = [
    [LOGIN, '10', 'loginKey'],
    [REFRESH, '03', 'refreshToken'],
    [LOGOUT, '03', 'token'],
    [CREATE, '03', 'token'],
    [CLOSE, '03', 'token'],
    [LIST, '03', 'token'],
  ]
  for (const [spec, emptyCode, field] of calls) {
    const raws: [string, string | Uint8Array, Expect][] = [
      ['empty object', '{}', business(emptyCode)],
      ['empty body', '', BAD_JSON],
      ['array', '[]', BAD_JSON],
      ['string', '"token"', BAD_JSON],
      ['number', '42', BAD_JSON],
      ['null', 'null', BAD_JSON],
      ['truncated', '{"token": ', BAD_JSON],
      ['trailing garbage', '{}}', BAD_JSON],
      ['comment', '{/* hi */}', BAD_JSON],
      ['single quotes', "{'token': 'x'}", BAD_JSON],
      ['NaN', '{"pageSize": NaN}', BAD_JSON],
      ['duplicate key', '{"token":"a","token":"b"}', BAD_JSON],
      ['invalid UTF-8 escape', `{"${field}":"\\ud800"}`, BAD_JSON],
      // decoded leniently: the bytes become U+FFFD, which no field accepts
      ['bytes that are not UTF-8', new Uint8Array(Buffer.concat([Buffer.from(`{"${field}":"`), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('"}')])), business(emptyCode)],
      ['deeply nested arrays in an unknown field', `{"junk":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, business(emptyCode)],
      ['deeply nested array as the body', `${'['.repeat(30_000)}${']'.repeat(30_000)}`, BAD_JSON],
      ['byte-order mark', '\ufeff{}', business(emptyCode)],
      ['whitespace around', ' \n\t{} \n', business(emptyCode)],
      ['__proto__ carrying the fields', `{"__proto__":{"token":"${tokens.access}","refreshToken":"${tokens.refresh}","loginKey":"${loginUser.email}","loginValue":"${TEST_PASSWORD}","userId":"${userA.userId}","arrangementType":"Deduction","productCode":"00000001"}}`, business(emptyCode)],
      ['constructor.prototype', '{"constructor":{"prototype":{"token":"x","isAdmin":true}}}', business(emptyCode)],
      ['unknown fields only', '{"isAdmin":true,"role":"root","tenantId":"FC000002"}', business(emptyCode)],
      ['60 KiB of whitespace', `{${' '.repeat(60 * 1024)}}`, business(emptyCode)],
    ]
    for (const [label, raw, expect] of raws) await group.try({ label, call: spec, raw, expect })
  }
  // an unknown field never changes whose data is touched
  await group.try({ label: 'tenantId field ignored', call: LIST, body: { token: tokens.access, arrangementType: OTHER_TENANT_AR_TYPE, userId: userA.userId, tenantId: OTHER_TENANT, tnt_inst_id: OTHER_TENANT }, expect: business('15') })
  group.assertAll()
})

test('content types, methods, paths, sizes and encodings', async () => {
  const group = new Group('protocol')
  const validList = JSON.stringify({ token: tokens.access, arrangementType: 'Deduction', userId: userA.userId })
  for (const spec of [LOGIN, CREATE, LIST]) {
    // what the body answers once it is read: the list works; Login lacks fields (10); Create lacks a token (03)
    const body = spec === LIST ? validList : '{"userId":"x"}'
    const okCode = spec === LIST ? '00' : spec === LOGIN ? '10' : '03'
    const types: [string, Expect][] = [
      ['text/plain', protocol(415)],
      ['application/x-www-form-urlencoded', protocol(415)],
      ['multipart/form-data; boundary=x', protocol(415)],
      ['application/xml', protocol(415)],
      ['application/json; charset=utf-16', protocol(415)],
      ['application/json; charset=latin1', protocol(415)],
      ['application/connect+json', protocol(415)],
      ['application/jsonx', protocol(415)],
      ['application/json, text/plain', protocol(415)],
      ['APPLICATION/JSON', business(okCode)],
      ['application/json; charset=utf-8', business(okCode)],
      ['application/json;charset=UTF-8', business(okCode)],
    ]
    for (const [type, expect] of types) await group.try({ label: `Content-Type ${type}`, call: spec, raw: body, headers: { 'content-type': type }, expect })
    await group.try({ label: 'no Content-Type', call: spec, raw: body, noContentType: true, expect: protocol(415) })
    // Connect's binary form: a body that is not protobuf is the caller's fault
    await group.try({ label: 'application/proto, JSON bytes', call: spec, raw: '{"loginKey":"x"}', headers: { 'content-type': 'application/proto' }, expect: protocol(400, 'invalid_argument') })
    await group.try({ label: 'application/proto, random bytes', call: spec, raw: new Uint8Array(randomBytes(512)), headers: { 'content-type': 'application/proto' }, expect: protocol([200, 400]) })
    await group.try({ label: 'application/proto, truncated field', call: spec, raw: new Uint8Array([0x0a, 0x50, 0x41]), headers: { 'content-type': 'application/proto' }, expect: protocol(400, 'invalid_argument') })
    await group.try({ label: 'application/proto, empty message', call: spec, raw: new Uint8Array(), headers: { 'content-type': 'application/proto' }, expect: protocol(200) })
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      await group.try({ label: `${method} instead of POST`, call: spec, method, raw: body, expect: protocol(405) })
    }
  }
  const paths: [string, Expect][] = [
    ['user.User/NoSuchMethod', protocol(404, 'unimplemented')],
    ['user.User/login', protocol(404, 'unimplemented')],
    ['evil.Service/Login', protocol(404, 'unimplemented')],
    // not an API call's path, so a POST to a page: without an Origin, the origin check refuses it
    ['user.User/Login%00', protocol(403)],
    ['user.User/Login/', protocol(403)],
    ['user.User/Login?encoding=json&message=%7B%7D&connect=v1', business('10')],
    ['user.User/Login?x=%%', business('10')],
    [`deduction.Company/${'A'.repeat(4000)}`, protocol(404, 'unimplemented')],
  ]
  for (const [path, expect] of paths) await group.try({ label: `path /api/${path.slice(0, 60)}`, call: path, raw: '{}', expect })

  // sizes: declared too large, streamed too large, compressed too large
  await group.try({ label: '70 KiB with Content-Length', call: LOGIN, body: { loginKey: 'x'.repeat(70 * 1024), loginValue: 'y' }, expect: protocol(413, 'resource_exhausted') })
  await group.try({ label: '1 MiB with Content-Length', call: CREATE, raw: `{"token":"${'t'.repeat(1 << 20)}"}`, expect: protocol(413, 'resource_exhausted') })
  const bomb = new Uint8Array(gzipSync(Buffer.alloc(16 << 20, 0x20)))
  await group.try({ label: 'gzip bomb (16 MiB of spaces in 16 KiB)', call: LOGIN, raw: bomb, headers: { 'content-encoding': 'gzip' }, expect: protocol([400, 413, 429]) })
  await group.try({ label: 'gzip that is not gzip', call: LOGIN, raw: 'not gzip at all', headers: { 'content-encoding': 'gzip' }, expect: protocol(400, 'invalid_argument') })
  await group.try({ label: 'brotli that is not brotli', call: LOGIN, raw: 'not brotli at all', headers: { 'content-encoding': 'br' }, expect: protocol(400, 'invalid_argument') })
  await group.try({ label: 'an unknown Content-Encoding', call: LOGIN, raw: '{}', headers: { 'content-encoding': 'zstd' }, expect: protocol(415) })
  await group.try({ label: 'a valid gzip body', call: LIST, raw: new Uint8Array(gzipSync(validList)), headers: { 'content-encoding': 'gzip' }, expect: business('00') })

  const headers: [string, Record<string, string>, Expect][] = [
    ['connect-timeout-ms not a number', { 'connect-timeout-ms': 'soon' }, protocol(400, 'invalid_argument')],
    ['connect-timeout-ms huge', { 'connect-timeout-ms': '99999999999999' }, protocol(400, 'invalid_argument')],
    ['connect-timeout-ms 1 (the call is not cut short into a 5xx)', { 'connect-timeout-ms': '1' }, business('00')],
    ['connect-protocol-version 2', { 'connect-protocol-version': '2' }, business('00')],
    ['Accept-Language garbage', { 'accept-language': '%%;q=x,,;;' }, business('00')],
    ['x-request-id hostile', { 'x-request-id': '"><script>' }, business('00')],
    ['Accept-Encoding garbage', { 'accept-encoding': 'zstd;q=%%, *;q=0' }, business('00')],
  ]
  for (const [label, h, expect] of headers) await group.try({ label, call: LIST, raw: validList, headers: h, expect })

  const createBase = { token: tokens.access, arrangementType: 'Deduction', productCode: '99999999', userId: userA.userId }
  const keys: [string, string, Expect][] = [
    ['256 characters', 'k'.repeat(256), business('10')],
    ['a space inside', 'a b', business('10')],
    ['a tab inside', 'a\tb', business('10')],
    ['Latin-1 bytes', 'cl\u00e9', business('10')],
    ['4 KiB', 'k'.repeat(4096), business('10')],
  ]
  for (const [label, key, expect] of keys) {
    await group.try({ label: `Idempotency-Key ${label}`, call: CREATE, body: createBase, headers: { 'idempotency-key': key }, expect })
    await group.try({ label: `Idempotency-Key ${label}`, call: CLOSE, body: { ...createBase, productCode: '00000001' }, headers: { 'idempotency-key': key }, expect })
  }
  group.assertAll()
})

test('terms: hostile propertyValues on Create and Modify answer 10 naming the field (400 for what is not a map of strings), nothing written', async () => {
  const group = new Group('propertyValues')
  const create = { token: tokens.access, arrangementType: 'Deduction', productCode: '00000001', userId: userA.userId }
  const cases: [string, unknown, Expect, string?][] = [
    ['an unknown term', { colour: 'red' }, business('10'), 'propertyValues.colour'],
    ['an option not offered', { paymentMethod: 'CREDIT' }, business('10'), 'propertyValues.paymentMethod'],
    ['an option in lower case', { paymentMethod: 'bank_card' }, business('10'), 'propertyValues.paymentMethod'],
    ['a 2 KiB account', { account: 'x'.repeat(2048) }, business('10'), 'propertyValues.account'],
    ['33 characters of account (over its 32)', { account: '扣'.repeat(33) }, business('10'), 'propertyValues.account'],
    ['a NUL in the account', { account: 'a\u0000b' }, business('10'), 'propertyValues.account'],
    ['a newline in the account', { account: 'a\nb' }, business('10'), 'propertyValues.account'],
    ['a 2 KiB term name', { ['k'.repeat(2048)]: 'x' }, business('10'), 'propertyValues'],
    ['an SQL-looking term name', { "a' OR '1'='1": 'x' }, business('10'), 'propertyValues'],
    ['a __proto__ term name', JSON.parse('{"__proto__":"x"}') as unknown, business('10'), 'propertyValues'],
    ['nine terms', Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'x'])), business('10'), 'propertyValues'],
    ['a number value', { account: 13812345678 }, BAD_JSON],
    ['a boolean value', { paymentMethod: true }, BAD_JSON],
    ['a nested object value', { account: { nested: { deeper: 'x' } } }, BAD_JSON],
    ['an array value', { paymentMethod: ['BANK_CARD'] }, BAD_JSON],
    ['a list instead of a map', ['BANK_CARD'], BAD_JSON],
    ['a string instead of a map', 'BANK_CARD', BAD_JSON],
    ['a number instead of a map', 42, BAD_JSON],
  ]
  for (const [label, propertyValues, expect, field] of cases) {
    const opened = await group.try({ label: `Create: ${label}`, call: CREATE, body: { ...create, propertyValues }, expect })
    if (field && !String(opened.json.desc).includes(field)) group.mismatches.push(`Create: ${label}: desc ${String(opened.json.desc)} does not name ${field}`)
    // Modify checks the shape before it looks for the service; what only the terms can refuse meets 17 first (not open)
    const shapeOnly = field === 'propertyValues' || label.includes('2 KiB') || label.includes('NUL') || label.includes('newline')
    await group.try({ label: `Modify: ${label}`, call: MODIFY, body: { ...create, propertyValues }, expect: expect.code === '10' && !shapeOnly ? business('17') : expect })
  }
  // "no value to change" is judged against the service's terms, after finding it open
  await group.try({ label: 'Modify: no values, service not open', call: MODIFY, body: create, expect: business('17') })
  // a valid value on a product that does not exist: nothing opens (14)
  await group.try({ label: 'Create: valid values, unknown product', call: CREATE, body: { ...create, productCode: '99999999', propertyValues: { paymentMethod: 'BANK_CARD' } }, expect: business('14') })
  group.assertAll()
})

/** One request written byte for byte, for what fetch refuses to send; resolves with the status code. */
function rawRequest(head: string, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.base)
    const socket = net.connect(Number(port), hostname)
    let data = ''
    socket.setTimeout(15_000, () => socket.destroy(new Error('no answer in 15 s')))
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')))
    socket.on('error', (error) => (data ? resolve(parse()) : reject(error)))
    socket.on('close', () => resolve(parse()))
    socket.write(Buffer.concat([Buffer.from(head.replace(/\n/g, '\r\n') + '\r\n', 'latin1'), Buffer.from(body)]))
    function parse() {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0)
      return { status, text: data.slice(data.indexOf('\r\n\r\n') + 4) }
    }
  })
}

test('requests fetch would not send: raw bytes on the socket', async () => {
  const group = new Group('raw')
  const list = JSON.stringify({ token: tokens.access, arrangementType: 'Deduction', userId: userA.userId })
  const create = JSON.stringify({ token: tokens.access, arrangementType: 'Deduction', productCode: '99999999', userId: userA.userId })
  const len = (s: string) => Buffer.byteLength(s)
  const cases: [string, string, string, Expect][] = [
    ['both Content-Length and Transfer-Encoding', `POST /api/${LIST} HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: ${len(list)}\nTransfer-Encoding: chunked\nConnection: close\n`, list, protocol(400)],
    ['Content-Length not a number', `POST /api/${LIST} HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: abc\nConnection: close\n`, list, protocol(400)],
    ['two different Content-Lengths', `POST /api/${LIST} HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 2\nContent-Length: ${len(list)}\nConnection: close\n`, list, protocol(400)],
    ['no Host (HTTP/1.1)', `POST /api/${LIST} HTTP/1.1\nContent-Type: application/json\nContent-Length: ${len(list)}\nConnection: close\n`, list, protocol(400)],
    ['an unknown HTTP method', `BREW /api/${LIST} HTTP/1.1\nHost: x\nConnection: close\n`, '', protocol(400)],
    ['NUL in a header value', `POST /api/${LIST} HTTP/1.1\nHost: x\nContent-Type: application/json\nX-Junk: a\u0000b\nContent-Length: ${len(list)}\nConnection: close\n`, list, protocol(400)],
    ['256 KiB streamed without a length (chunked)', `POST /api/${LOGIN} HTTP/1.1\nHost: x\nContent-Type: application/json\nTransfer-Encoding: chunked\nConnection: close\n`, `40000\r\n{"loginKey":"${'a'.repeat(0x40000 - 15)}"}\r\n0\r\n\r\n`, protocol([413, 429], 'resource_exhausted')],
    ['a 64 KiB header', `POST /api/${LIST} HTTP/1.1\nHost: x\nContent-Type: application/json\nX-Junk: ${'j'.repeat(64 * 1024)}\nContent-Length: ${len(list)}\nConnection: close\n`, list, protocol(431)],
    ['obs-text bytes in the Idempotency-Key', `POST /api/${CREATE} HTTP/1.1\nHost: x\nContent-Type: application/json\nIdempotency-Key: \u00ff\u00fe\u0080\nContent-Length: ${len(create)}\nConnection: close\n`, create, business('10')],
    ['obs-text bytes after Bearer', `POST /api/${LIST} HTTP/1.1\nHost: x\nContent-Type: application/json\nAuthorization: Bearer \u00ff\u00fe\nContent-Length: ${len('{}')}\nConnection: close\n`, '{}', business('03')],
    ['UTF-8 bytes of an emoji in the User-Agent', `POST /api/${LIST} HTTP/1.1\nHost: x\nContent-Type: application/json\nUser-Agent: \u00f0\u009f\u0098\u0080\nContent-Length: ${len(list)}\nConnection: close\n`, list, business('00')],
    ['HTTP/1.0 without Host', `POST /api/${LIST} HTTP/1.0\nContent-Type: application/json\nContent-Length: ${len(list)}\n`, list, business('00')],
    ['an absolute URL with a foreign host', `POST http://evil.example/api/${LIST} HTTP/1.1\nHost: evil.example\nContent-Type: application/json\nContent-Length: ${len(list)}\nConnection: close\n`, list, protocol([200, 403, 404])],
  ]
  for (const [label, head, body, expect] of cases) {
    const { status, text } = await rawRequest(head, body)
    let json: Record<string, unknown> = {}
    try {
      json = JSON.parse(text) as Record<string, unknown>
    } catch {
      // a parser error has no JSON body
    }
    group.check(`raw · ${label}`, status, json, text, expect)
  }
  group.assertAll()
})

test('an expired access token answers 03 on every call; its refresh token still works once', async () => {
  await server.stop('SIGTERM')
  server = await startServer({ ...dbEnv, LOGIN_MAX_FAILURES: '1000', TOKEN_TTL_SECONDS: '1' })
  const user = expiringUser
  const session = await login(user)
  const target = { arrangementType: 'Deduction', productCode: '00000001', userId: user.userId }
  // the token lives one second: wait until the server says it has expired
  await waitUntil(async () => (await call(server.base, LIST, { ...target, token: session.token })).json.code === '03', 10_000, () => 'the 1-second token did not expire')
  const group = new Group('expired')
  for (const spec of [CREATE, CLOSE, LIST]) {
    await group.try({ label: 'expired token in the body', call: spec, body: { ...target, token: session.token }, expect: business('03') })
    await group.try({ label: 'expired token as Bearer', call: spec, body: target, headers: { authorization: `Bearer ${session.token}` }, expect: business('03') })
  }
  await group.try({ label: 'expired token', call: LOGOUT, body: { token: session.token }, expect: business('03') })
  const refreshed = await group.try({ label: 'the refresh token of the expired one', call: REFRESH, body: { refreshToken: session.refreshToken }, expect: business('00') })
  await group.try({ label: 'the refresh token again (spent)', call: REFRESH, body: { refreshToken: session.refreshToken }, expect: business('03') })
  // reuse ends the session: the pair just issued is dead too
  await group.try({ label: 'the new token after reuse of the old refresh token', call: LIST, body: { ...target, token: refreshed.json.token }, expect: business('03') })
  group.assertAll()
})

test('nothing was written, and no request earned a 5xx', async () => {
  const list = await call(server.base, LIST, { token: (await login(userA)).token, arrangementType: 'Deduction', userId: userA.userId })
  assert.deepEqual(list.json.simpliedProductInfo, [], 'the API lists no open service for the acting user')
  assert.equal(await server.stop('SIGTERM'), 0, server.output().slice(-2000))
  const afterwards = await rowCounts()
  for (const table of TABLES.filter((t) => t !== 'de_session')) {
    assert.equal(afterwards[table], before_[table], `${table}: rows before ${before_[table]}, after ${afterwards[table]}`)
  }
  // the only sessions are those of the logins that answered 00
  assert.equal(afterwards.de_session, before_.de_session + tally.successfulLogins, 'one session per successful login, no other')
  assert.doesNotMatch(server.output(), /"level":"(error|fatal)".*"httpStatus":5\d\d/, 'no 5xx in the log')
  console.log(`hostile inputs: ${tally.tried} tried, ${tally.fivexx} 5xx`)
  assert.equal(tally.fivexx, 0)
})
