import { testDatabase } from '@/lib/testing/fresh-database'
import { testDatabaseEnv } from './support/test-database-env'
// Property-based fuzzing of every API call (fast-check), the merchant's included: bodies built from
// valid values, hostile strings, arbitrary JSON and missing fields, with extra
// and __proto__ keys, hostile Authorization and Idempotency-Key headers, and raw
// bodies of any content type. The invariants, after every request:
//   - never a 5xx; a 200 always carries one of the result codes (docs/product.md#result-codes);
//   - no write on failure: the acting user's open services (read through the
//     API) change only on a 00 of Create / Close that is not a replay of an
//     Idempotency-Key, exactly as a model predicts; a replay answers the first
//     outcome, the key reused for another request answers 10; on PostgreSQL the
//     relation, event and session rows are counted directly.
// At the end the events are counted: one per acknowledged open or close, one CHANGE
// per acknowledged change of terms.
// FUZZ_RUNS sets the runs per call (default 150); the seed is printed, and
// FUZZ_SEED=<n> replays a run (tests/support/fuzz-seed.ts). Builds nothing: `npm run build` first.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { call, startServer, type ServerProcess } from './support/server-process'
import { TEST_PASSWORD, prepareDatabase, type TestUser } from './support/prepare-database'
import { queryTestDatabase } from './support/query-test-database'
import { IDEMPOTENCY_KEY } from '@/lib/agreements/idempotency'
import { fuzzParameters } from './support/fuzz-seed'
import { LOGIN, REFRESH, LOGOUT, CREATE, CLOSE, LIST, MODIFY, CATALOGUE, DETAIL, SESSIONS } from './support/rpc'
import { addTestMerchant, type TestMerchant } from './support/merchant-setup'


const RUNS = Number(process.env.FUZZ_RUNS ?? 150)
const CODES = new Set(['00', '01', '02', '03', '04', '05', '10', '14', '15', '16', '17'])
const PRODUCTS = ['00000001', '00000002']

const dbEnv = testDatabaseEnv()


type Counts = { rels: number; events: number; sessions: number }
const countRows = async (): Promise<Counts> =>
  (
    await queryTestDatabase<Counts>(
      'SELECT (SELECT count(*)::int FROM de_user_ar_rel) AS rels, (SELECT count(*)::int FROM de_user_ar_event) AS events, (SELECT count(*)::int FROM de_session) AS sessions',
    )
  )[0]

let server: ServerProcess
let actor: TestUser // every Create / Close / List acts for this user
let loginTarget: TestUser // the Login runs' account
let token = ''
let spare: { refresh: string[]; logout: string[] } = { refresh: [], logout: [] }
let merchant: TestMerchant
let bystander: TestUser // the merchant's calls name this user, who has nothing open

// what the acting user has open, as a model; and the tallies the end checks
const model = new Set<string>()
const tally = { requests: 0, acknowledged: 0, changes: 0, replays: 0, logins: 0, byCode: new Map<string, number>() }
// every Idempotency-Key the acting user's requests have recorded: the request it was first used for and its answer
const keyed = new Map<string, { request: string; code: string }>()
// the answers of a request that reached the operation, which its Idempotency-Key records
const OPERATION_ANSWERS = new Set(['00', '14', '15', '16', '17'])

before(async () => {
  // and two more, whose sessions give the Refresh and Logout runs a spare token each
  const [first, second, third, refreshing, loggingOut] = prepareDatabase(dbEnv, { users: 5 })
  ;[actor, loginTarget, bystander] = [first, second, third]
  merchant = addTestMerchant(dbEnv, '摩拜单车', ['00000001'])
  server = await startServer(dbEnv)
  const login = async (user: { email: string; password: string }) => {
    const answer = await call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })
    assert.equal(answer.json.code, '00')
    tally.logins++
    return answer.json as { token: string; refreshToken: string }
  }
  token = (await login(actor)).token
  const six = await login(refreshing)
  const seven = await login(loggingOut)
  spare = { refresh: [six.refreshToken], logout: [seven.token] }
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

// ---------------------------------------------------------------------------
// Arbitraries

const specials = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\n',
  '\r\n',
  '\u0085',
  '\u2028',
  '\u202e',
  '\ufeff',
  "' OR '1'='1",
  "'; DROP TABLE de_user_ar_rel; --",
  '%',
  '_',
  '\\',
  '😀'.repeat(33),
  '😀'.repeat(32),
  '扣'.repeat(256),
  'x'.repeat(2049),
  '__proto__',
  'constructor',
  'Deduction ',
  'deduction',
  'FC000002',
  '00000001\u0000',
  'fca_' + 'A'.repeat(43),
  'fcr_' + 'A'.repeat(43),
  '99999999',
  'U0000000000000002',
)

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary-ascii', minLength: 200, maxLength: 600 }),
  specials,
)

/** A field's value: mostly a valid one (so that whole requests succeed often enough), else a hostile string, any JSON value, or absent. */
const field = (valid: readonly string[]) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...valid) },
    { weight: 4, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  )

/** Extra keys: unknown ones, prototype names, near-miss spellings of real ones. */
const extras = fc.dictionary(
  fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'tenantId', 'tnt_inst_id', 'Token', 'user_id', 'isAdmin'), fc.string({ maxLength: 12 })),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
)

/** A header value fetch can send: printable ASCII, tab and Latin-1 (the rest is refused by the client before it leaves). */
const headerValue = fc
  .oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 300 }),
    fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((n) => String.fromCharCode(n)), maxLength: 20 }),
    fc.constantFrom('%%', 'Bearer', 'Bearer %%', ' '),
  )
  .map((s) => s.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '').trim())

const authorization = (valid: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(...valid).map((t) => `Bearer ${t}`) },
    { weight: 1, arbitrary: headerValue.map((v) => `Bearer ${v}`) },
    { weight: 1, arbitrary: headerValue },
  )

const idempotencyKey = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.uuid() },
  // a few keys over and over, so that replays and reuse for another request are common
  { weight: 2, arbitrary: fc.constantFrom('k1', 'k2', 'k3', 'Bearer', '%%') },
  { weight: 1, arbitrary: headerValue },
)

/** The terms' values of a Create or Modify: mostly absent or valid, else unknown terms, options not offered, hostile strings, any JSON. */
const propertyValues = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.record({ paymentMethod: fc.constantFrom('DEFAULT_ORDER', 'BALANCE_FIRST', 'BANK_CARD', 'CREDIT', ' BANK_CARD ', '') }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.record({ account: hostileString }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom('account', 'paymentMethod', '__proto__', 'colour'), fc.string({ maxLength: 40 })), hostileString, { maxKeys: 10 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
)

/** propertyValues as the server hashes it for an Idempotency-Key: trimmed, empty values dropped, none the same as absent. */
function valuesOfRequest(values: unknown): string {
  if (values === undefined || values === null) return ''
  if (typeof values !== 'object' || Array.isArray(values)) return 'invalid'
  const entries = Object.entries(values as Record<string, unknown>)
  if (entries.some(([, v]) => typeof v !== 'string')) return 'invalid'
  const kept = entries.map(([k, v]) => [k, (v as string).trim()]).filter(([, v]) => v !== '').sort(([a], [b]) => (a < b ? -1 : 1))
  return kept.length ? JSON.stringify(kept) : ''
}

type Input = { body: Record<string, unknown>; extra: Record<string, unknown>; authorization?: string; key?: string }

/** Builds the JSON text; a key named __proto__ stays a key (JSON.parse makes it an own property). */
function serialize(input: Input): string {
  const own = JSON.parse('{}') as Record<string, unknown>
  for (const [k, v] of Object.entries(input.extra)) Object.defineProperty(own, k, { value: v, enumerable: true, configurable: true, writable: true })
  for (const [k, v] of Object.entries(input.body)) if (v !== undefined) Object.defineProperty(own, k, { value: v, enumerable: true, configurable: true, writable: true })
  return JSON.stringify(own)
}

const inputOf = (fields: Record<string, fc.Arbitrary<unknown>>, auth: fc.Arbitrary<string | undefined>, key: fc.Arbitrary<string | undefined> = fc.constant(undefined)) =>
  fc.record({ body: fc.record(fields), extra: extras, authorization: auth, key }) as fc.Arbitrary<Input>

// ---------------------------------------------------------------------------
// One request and the invariants after it

async function send(method: string, text: string | Uint8Array, headers: Record<string, string>) {
  const { http, json, text: raw } = await call(server.base, method, text, headers)
  const res = { status: http }
  tally.requests++
  // a 200 without a JSON code is a binary (protobuf, gRPC-web) answer
  const code = res.status !== 200 ? `HTTP ${res.status}` : json.code === undefined ? 'binary' : String(json.code)
  tally.byCode.set(code, (tally.byCode.get(code) ?? 0) + 1)
  assert.ok(res.status < 500, `${method} answered ${res.status}: ${raw.slice(0, 300)}`)
  if (res.status === 200 && json.code !== undefined) assert.ok(CODES.has(String(json.code)), `${method}: unknown code ${String(json.code)}`)
  return { http: res.status, code: res.status === 200 ? (json.code as string | undefined) : undefined, json }
}

async function openNow(): Promise<string[]> {
  const answer = await call(server.base, LIST, { token, arrangementType: 'Deduction', userId: actor.userId, pageSize: 100 })
  assert.equal(answer.json.code, '00', `the actor's own list failed: ${JSON.stringify(answer.json)}`)
  return (answer.json.simpliedProductInfo as { productCode: string }[]).map((p) => p.productCode).sort()
}

let lastCounts: Counts | undefined
/** After every request: the API's list is the model; on PostgreSQL the rows moved only as the answer allows. */
async function checkNoStrayWrite(label: string, change: { opened?: boolean; closed?: boolean; changed?: boolean; loggedIn?: boolean }) {
  assert.deepEqual(await openNow(), [...model].sort(), `${label}: the open services differ from the model`)
  if (testDatabase.kind !== 'postgres') return
  const now = await countRows()
  if (lastCounts) {
    const events = change.opened || change.closed || change.changed ? 1 : 0
    assert.equal(now.events, lastCounts.events + events, `${label}: events moved by ${now.events - lastCounts.events}, expected ${events}`)
    assert.equal(now.rels, lastCounts.rels + (change.opened ? 1 : 0) - (change.closed ? 1 : 0), `${label}: relations moved`)
    assert.equal(now.sessions, lastCounts.sessions + (change.loggedIn ? 1 : 0), `${label}: sessions moved`)
  }
  lastCounts = now
}

const headersOf = (input: Input) => ({
  ...(input.authorization !== undefined ? { authorization: input.authorization } : {}),
  ...(input.key !== undefined ? { 'idempotency-key': input.key } : {}),
})

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v)

// ---------------------------------------------------------------------------
// The properties

/**
 * One Create or Close and the model's step. An Idempotency-Key (docs/product.md#idempotency-keys) makes a
 * request that reaches the operation leave a record of what it asked and what it was
 * answered: the same key with the same request later answers that again and moves
 * nothing (a replay); with another request it answers 10. So a 00 moves the model only
 * when it is the first answer under its key.
 */
async function createOrClose(method: typeof CREATE | typeof CLOSE, input: Input) {
  const { code } = await send(method, serialize(input), headersOf(input))
  const product = trimmed(input.body.productCode) as string
  const request = JSON.stringify([method, trimmed(input.body.arrangementType), product, trimmed(input.body.userId), method === CREATE ? valuesOfRequest(input.body.propertyValues) : ''])
  const key = input.key !== undefined && IDEMPOTENCY_KEY.test(input.key) ? input.key : undefined
  const first = key === undefined ? undefined : keyed.get(key)
  let change = {}
  if (code !== undefined && OPERATION_ANSWERS.has(code)) {
    if (first) {
      assert.equal(request, first.request, `key ${JSON.stringify(key)} was first used for ${first.request}: another request must answer 10, not ${code}`)
      assert.equal(code, first.code, `a replay of key ${JSON.stringify(key)} answers the first outcome`)
      tally.replays++
    } else {
      if (key !== undefined) keyed.set(key, { request, code })
      if (code === '00') {
        tally.acknowledged++
        if (method === CREATE) {
          assert.ok(!model.has(product), `opened ${product} twice`)
          model.add(product)
          change = { opened: true }
        } else {
          assert.ok(model.has(product), `closed ${product}, which was not open`)
          model.delete(product)
          change = { closed: true }
        }
      }
    }
  }
  await checkNoStrayWrite(`${method} ${serialize(input).slice(0, 200)} → ${code}`, change)
  return code
}

test('Idempotency-Key replays (the counterexamples of seeds -407727318 and 1672154421)', async () => {
  await checkNoStrayWrite('start', {})
  const target = { token, arrangementType: 'Deduction', productCode: '00000002', userId: actor.userId }
  const plain = (key?: string): Input => ({ body: target, extra: {}, key })
  assert.equal(await createOrClose(CREATE, plain()), '00')
  assert.equal(await createOrClose(CLOSE, plain('Bearer')), '00')
  // seed -407727318, path 229: the same close again, token also as Bearer, extra keys → the first answer, nothing moves
  const replay: Input = {
    body: target,
    extra: { tnt_inst_id: [['Ix{?G/', false], 'H'], mxa: '+$', tenantId: [1e-32, false, ' S(', true] },
    authorization: `Bearer ${token}`,
    key: 'Bearer',
  }
  assert.equal(await createOrClose(CLOSE, replay), '00')
  assert.equal(await createOrClose(CREATE, plain('Bearer')), '10', 'the same key for another request')
  // seed 1672154421, path 159: an open replayed under the key "%%"
  assert.equal(await createOrClose(CREATE, plain('%%')), '00')
  assert.equal(await createOrClose(CREATE, plain('%%')), '00')
  assert.equal(await createOrClose(CLOSE, plain()), '00')
  assert.equal(await createOrClose(CLOSE, plain('%%')), '10', 'the same key for another request')
  assert.equal(tally.replays, 2)
})

test('Create and Close: no 5xx; the open services change only on a first 00, as the model says', async () => {
  const arbitrary = inputOf(
    { token: field([token]), arrangementType: field(['Deduction']), productCode: field(PRODUCTS), userId: field([actor.userId]), propertyValues },
    authorization([token]),
    idempotencyKey,
  )
  // one property over both calls, so that opens and closes interleave
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(CREATE, CLOSE), arbitrary, async (method, input) => {
      await createOrClose(method, input)
    }),
    fuzzParameters('Create and Close', RUNS * 2),
  )
})

/**
 * One change of terms: a first 00 is possible only for a service the model has open,
 * and writes one CHANGE event (and no relation); anything else writes nothing. Its
 * Idempotency-Key replays as for Create and Close.
 */
async function modify(input: Input) {
  const { code } = await send(MODIFY, serialize(input), headersOf(input))
  const product = trimmed(input.body.productCode) as string
  const request = JSON.stringify([MODIFY, trimmed(input.body.arrangementType), product, trimmed(input.body.userId), valuesOfRequest(input.body.propertyValues)])
  const key = input.key !== undefined && IDEMPOTENCY_KEY.test(input.key) ? input.key : undefined
  const first = key === undefined ? undefined : keyed.get(key)
  let change = {}
  if (code !== undefined && (OPERATION_ANSWERS.has(code) || code === '10') && first) {
    if (code !== '10') {
      assert.equal(request, first.request, `key ${JSON.stringify(key)} was first used for ${first.request}: another request must answer 10, not ${code}`)
      assert.equal(code, first.code, `a replay of key ${JSON.stringify(key)} answers the first outcome`)
      tally.replays++
    }
  } else if (code !== undefined && OPERATION_ANSWERS.has(code)) {
    if (key !== undefined) keyed.set(key, { request, code })
    if (code === '00') {
      assert.ok(model.has(product), `changed ${product}, which is not open`)
      tally.changes++
      change = { changed: true }
    }
  }
  await checkNoStrayWrite(`${MODIFY} ${serialize(input).slice(0, 200)} → ${code}`, change)
  return code
}

test('Modify among Create and Close, and the added reads: no 5xx; a CHANGE only on a first 00 of an open service; reads write nothing', async () => {
  // one change of an open service first, so that the CHANGE path is walked whatever the seed
  const plain: Input = { body: { token, arrangementType: 'Deduction', productCode: '00000001', userId: actor.userId }, extra: {} }
  if (!model.has('00000001')) assert.equal(await createOrClose(CREATE, plain), '00')
  assert.equal(await modify({ ...plain, body: { ...plain.body, propertyValues: { paymentMethod: 'BANK_CARD' } } }), '00')
  const target = { token: field([token]), arrangementType: field(['Deduction']), productCode: field(PRODUCTS), userId: field([actor.userId]) }
  // mostly a valid change, so that changes of open services are acknowledged often enough
  const changeValues = fc.oneof(
    { weight: 3, arbitrary: fc.record({ paymentMethod: fc.constantFrom('DEFAULT_ORDER', 'BALANCE_FIRST', 'BANK_CARD') }) },
    { weight: 2, arbitrary: propertyValues },
  )
  const opening = inputOf({ ...target, propertyValues }, authorization([token]), idempotencyKey)
  const changing = inputOf({ ...target, propertyValues: changeValues }, authorization([token]), idempotencyKey)
  const reads = inputOf(target, authorization([token]))
  const sessions = inputOf({ token: field([token]) }, authorization([token]))
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(CREATE, CLOSE, MODIFY, MODIFY, CATALOGUE, DETAIL, SESSIONS), opening, changing, reads, sessions, async (method, input, change, read, session) => {
      if (method === CREATE || method === CLOSE) await createOrClose(method, input)
      else if (method === MODIFY) await modify(change)
      else {
        // the catalogue takes no productCode: as an unknown field it is a protocol error (400), which is fuzzing too
        const chosen = method === SESSIONS ? session : read
        const { code } = await send(method, serialize(chosen), headersOf(chosen))
        await checkNoStrayWrite(`${method} → ${code}`, {})
      }
    }),
    fuzzParameters('Modify and the added reads', RUNS * 2),
  )
})

test('the list: no 5xx, no write', async () => {
  const arbitrary = inputOf(
    {
      token: field([token]),
      arrangementType: field(['Deduction']),
      userId: field([actor.userId]),
      pageSize: fc.oneof(fc.integer(), fc.double(), fc.constant(undefined), fc.jsonValue({ maxDepth: 1 })),
      pageToken: fc.oneof(fc.constant(undefined), hostileString, fc.base64String({ maxLength: 60 })),
    },
    authorization([token]),
  )
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const { code } = await send(LIST, serialize(input), headersOf(input))
      await checkNoStrayWrite(`${LIST} → ${code}`, {})
    }),
    fuzzParameters('the list', RUNS),
  )
})

test('Login, Refresh, Logout: no 5xx; a session appears only on a 00 login', async () => {
  const login = inputOf(
    { loginKey: field([loginTarget.email, 'nobody@example.com', loginTarget.email.toUpperCase()]), loginValue: field([TEST_PASSWORD, 'wrong-password']) },
    fc.constant(undefined),
  )
  await fc.assert(
    fc.asyncProperty(login, async (input) => {
      const { code } = await send(LOGIN, serialize(input), {})
      if (code === '00') tally.logins++
      await checkNoStrayWrite(`${LOGIN} → ${code}`, { loggedIn: code === '00' })
    }),
    fuzzParameters('Login', RUNS),
  )
  const refresh = inputOf({ refreshToken: field([...spare.refresh, token]) }, authorization(spare.refresh))
  await fc.assert(
    fc.asyncProperty(refresh, async (input) => {
      const { code, json } = await send(REFRESH, serialize(input), headersOf(input))
      // the pair just issued may be refreshed again by a later run
      if (code === '00') spare.refresh.push(json.refreshToken as string)
      await checkNoStrayWrite(`${REFRESH} → ${code}`, {})
    }),
    fuzzParameters('Refresh', RUNS),
  )
  const logout = inputOf({ token: field(spare.logout) }, authorization(spare.logout))
  await fc.assert(
    fc.asyncProperty(logout, async (input) => {
      const { code } = await send(LOGOUT, serialize(input), headersOf(input))
      await checkNoStrayWrite(`${LOGOUT} → ${code}`, {})
    }),
    fuzzParameters('Logout', RUNS),
  )
})

test('raw bodies of any content type: no 5xx, no write', async () => {
  const raw = fc.record({
    method: fc.constantFrom(LOGIN, REFRESH, LOGOUT, CREATE, CLOSE, LIST, MODIFY, CATALOGUE, DETAIL, SESSIONS),
    contentType: fc.constantFrom('application/json', 'application/proto', 'application/json; charset=utf-8', 'text/plain', 'application/grpc-web+json', 'application/connect+json', ''),
    body: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 300 }),
    ),
  })
  await fc.assert(
    fc.asyncProperty(raw, async ({ method, contentType, body }) => {
      const { code } = await send(method, typeof body === 'string' ? new TextEncoder().encode(body) : body, { 'content-type': contentType })
      assert.notEqual(code, '00', 'a random body never acts') // (Refresh/Logout/List need a live token)
      await checkNoStrayWrite(`${method} raw ${contentType} → ${code}`, {})
    }),
    fuzzParameters('raw bodies', RUNS),
  )
})

test('deduction.Merchant: hostile fields, forged cursors and credentials — no 5xx, no write', async () => {
  const cursor = fc.oneof(
    fc.constant(undefined),
    hostileString,
    fc.base64String({ maxLength: 60 }),
    // forged positions: beyond a bigint, negative, not numbers
    fc.constantFrom('c1.9223372036854775808.1', 'c1.1.9223372036854775808', 'c1.9999999999999999999.9999999999999999999', 'c1.-1.1', 'c1..', 'c2.1.1').chain((c) => fc.constantFrom(c, Buffer.from(c).toString('base64url'))),
  )
  const merchantAuthorization = fc.oneof({ weight: 4, arbitrary: fc.constant(merchant.authorization) }, { weight: 1, arbitrary: authorization([token]) })
  const fields = { arrangementType: field(['Deduction']), productCode: field(['00000001', '00000002']), userId: field([bystander.userId]) }
  const inputs = {
    'deduction.Merchant/QueryAgreement': inputOf(fields, merchantAuthorization),
    'deduction.Merchant/ListAgreementChanges': inputOf(
      { productCode: field(['00000001', '00000002']), cursor, pageSize: fc.oneof(fc.constant(undefined), fc.integer(), fc.jsonValue({ maxDepth: 1 })) },
      merchantAuthorization,
    ),
    'deduction.Merchant/CloseAgreement': inputOf({ ...fields, reason: field(['the user asked']) }, merchantAuthorization, idempotencyKey),
  }
  const methods = Object.keys(inputs) as (keyof typeof inputs)[]
  // the forged cursors every run, whatever the seed draws
  for (const forged of ['c1.9223372036854775808.1', 'c1.1.9223372036854775808', 'c1.9999999999999999999.9999999999999999999']) {
    const { code } = await send('deduction.Merchant/ListAgreementChanges', JSON.stringify({ productCode: '00000001', cursor: Buffer.from(forged).toString('base64url') }), { authorization: merchant.authorization })
    assert.equal(code, '10', `the forged cursor ${forged} is an invalid argument`)
  }
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...methods), fc.record(inputs), async (method, all) => {
      const input = all[method]
      const { code } = await send(method, serialize(input), headersOf(input))
      assert.notEqual(method === 'deduction.Merchant/CloseAgreement' ? code : undefined, '00', 'the bystander has nothing open to close')
      await checkNoStrayWrite(`${method} ${serialize(input).slice(0, 200)} → ${code}`, {})
    }),
    fuzzParameters('deduction.Merchant', RUNS),
  )
})

test('afterwards: one event per acknowledged open or close, and the relations are the model', async () => {
  assert.equal(await server.stop('SIGTERM'), 0, server.output().slice(-2000))
  const [row] = await queryTestDatabase<{ opens: number; closes: number; changes: number; rels: number }>(
    `SELECT count(*) FILTER (WHERE action = 'OPEN')::int AS opens, count(*) FILTER (WHERE action = 'CLOSE')::int AS closes,
            count(*) FILTER (WHERE action = 'CHANGE')::int AS changes,
            (SELECT count(*)::int FROM de_user_ar_rel) AS rels
     FROM de_user_ar_event`,
  )
  assert.equal(row.opens + row.closes, tally.acknowledged, 'one event per acknowledged open or close')
  assert.equal(row.changes, tally.changes, 'one CHANGE event per acknowledged change')
  assert.equal(row.rels, model.size)
  assert.equal(row.opens - row.closes, model.size)
  const [sessions] = await queryTestDatabase<{ n: number }>('SELECT count(*)::int AS n FROM de_session')
  assert.equal(sessions.n, tally.logins, 'one session per successful login')
  const codes = [...tally.byCode.entries()].sort().map(([c, n]) => `${c}×${n}`).join(' ')
  console.log(`fuzz: ${tally.requests} requests, ${tally.acknowledged} acknowledged opens/closes, ${tally.changes} changes, ${tally.replays} replays, 0 5xx; answers ${codes}`)
})
