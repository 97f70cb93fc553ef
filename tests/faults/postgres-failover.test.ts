// A synchronous standby promoted under load (docs/operations.md#database-failover):
// several clients sign in and open / change / close agreements with Idempotency-Keys,
// retrying each 99 with the same key, while the primary is stopped hard and the
// standby promoted behind the endpoint that follows the primary. The app is not
// restarted. Afterwards, on the new primary: every write acknowledged with 00 is
// there exactly once, every change is delivered to the merchant under one webhook
// id, each user has at most one live session, and a sign-out raised after the
// switch reaches a page that was open across it. Prints the seconds from the
// primary's death to the first successful write, and the counts.
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import pg from 'pg'
import { buildFailoverPair, type FailoverPair } from '../support/failover-pair'
import { addTestMerchant } from '../support/merchant-setup'
import { prepareDatabase, type TestUser } from '../support/prepare-database'
import { CLOSE, CREATE, LOGIN, MODIFY } from '../support/rpc'
import { call, startServer, waitUntil, type ServerProcess } from '../support/server-process'
import { openSessionStream } from '../support/session-stream'
import { startReceiver, type Receiver } from '../support/webhook-receiver'
import { webLogin } from '../support/web-login'

const CLIENTS = 4
const LOAD_MS = 20_000
const KILL_AFTER_MS = 6_000
/** a client's pause before retrying a 99, as a real client backs off */
const RETRY_PAUSE_MS = 100
/**
 * a client's pause between writes: a paced load of about 15 writes a second in all. Unpaced,
 * a fast machine makes thousands of changes in 20 s, and the check waits minutes for their
 * webhooks, delivered in order per agreement, without learning more.
 */
const WRITE_PAUSE_MS = 250
const PRODUCT = '00000001'
const webhookEnv = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: '1000', WEBHOOK_POLL_MS: '200', WEBHOOK_TIMEOUT_MS: '2000' }

let pair: FailoverPair | undefined
let server: ServerProcess | undefined
let receiver: Receiver | undefined
after(async () => {
  await server?.stop('SIGKILL')
  await receiver?.close()
  pair?.tearDown()
})

type Write = { client: number; userId: string; action: 'OPEN' | 'CHANGE' | 'CLOSE'; key: string; started: number; answered: number; code: string }

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('a synchronous standby promoted under load: nothing acknowledged lost, nothing twice, the app recovers without a restart', async () => {
  pair = await buildFailoverPair()
  const dbEnv = { DATABASE_URL: pair.url }
  // one user per client, and one whose page stays open across the switch
  const users = prepareDatabase(dbEnv, { users: CLIENTS + 1 })
  receiver = await startReceiver()
  const merchant = addTestMerchant({ ...dbEnv, ...webhookEnv }, '摩拜单车', [PRODUCT], receiver.url)
  receiver.setSecret(merchant.signingSecret ?? '')
  server = await startServer({ ...dbEnv, ...webhookEnv, DB_TIMEOUT_MS: '2000' })
  const base = server.base

  const counts = { acknowledged: 0, retried: 0, unavailable: 0, network: 0, logins: 0 }
  const writes: Write[] = []
  const others: string[] = []

  /** One call, repeated with the same body and key while the answer is 99 (HTTP 503) or no answer. */
  const untilAnswered = async (method: string, body: object, headers: Record<string, string>) => {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        counts.retried++
        await pause(RETRY_PAUSE_MS)
      }
      try {
        const r = await call(base, method, body, headers)
        if (r.http === 503) {
          assert.equal(r.json.code, 'unavailable', `a 503 is Connect's unavailable (99): ${JSON.stringify(r.json)}`)
          counts.unavailable++
          continue
        }
        assert.equal(r.http, 200, `${method}: ${r.http} ${JSON.stringify(r.json)}`)
        return String(r.json.code)
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error
        counts.network++
      }
    }
  }

  const signIn = async (user: TestUser) => {
    for (;;) {
      const r = await call(base, LOGIN, { loginKey: user.email, loginValue: user.password }).catch(() => undefined)
      if (r?.http === 200 && r.json.code === '00') {
        counts.logins++
        return String(r.json.token)
      }
      if (r && r.http !== 503) throw new Error(`login: ${r.http} ${JSON.stringify(r.json)}`)
      if (!r) counts.network++
      else counts.unavailable++
      counts.retried++
      await pause(RETRY_PAUSE_MS)
    }
  }

  let running = true
  const client = async (n: number) => {
    const user = users[n - 1]
    let token = await signIn(user)
    const target = { arrangementType: 'Deduction', productCode: PRODUCT, userId: user.userId }
    for (let i = 0; running; i++) {
      // signs in again now and then: a login is a write too, and ends the session before it
      if (i > 0 && i % 12 === 0) token = await signIn(user)
      const [method, action, extra] = (
        [
          [CREATE, 'OPEN', {}],
          [MODIFY, 'CHANGE', { propertyValues: { paymentMethod: i % 2 ? 'BANK_CARD' : 'BALANCE_FIRST' } }],
          [CLOSE, 'CLOSE', {}],
        ] as const
      )[i % 3]
      const key = `failover-${n}-${i}`
      const started = Date.now()
      const code = await untilAnswered(method, { ...target, ...extra }, { authorization: `Bearer ${token}`, 'idempotency-key': key })
      if (code === '00') counts.acknowledged++
      else others.push(`${key} ${action}: ${code}`)
      writes.push({ client: n, userId: user.userId, action, key, started, answered: Date.now(), code })
      await pause(WRITE_PAUSE_MS)
    }
  }

  // a page open across the switch: its session stream, signed in through the login form
  const pageUser = users[CLIENTS]
  const { cookie } = await webLogin(base, pageUser)
  assert.ok(cookie, 'signed in through the form')
  const stream = await openSessionStream(base, cookie)

  const loadStarted = Date.now()
  const clients = Array.from({ length: CLIENTS }, (_, i) => client(i + 1))
  await waitUntil(() => Date.now() - loadStarted >= KILL_AFTER_MS, KILL_AFTER_MS + 1000, () => 'the load did not run')
  assert.ok(counts.acknowledged > 0, 'writes acknowledged before the failover')

  pair.killPrimary()
  const died = Date.now()
  // while no server is primary: not ready, and calls answer 99
  await waitUntil(async () => (await fetch(`${base}/readyz`)).status === 503, 10_000, () => 'readiness still ready with no primary')
  await waitUntil(() => counts.unavailable + counts.network > 0, 10_000, () => 'no call saw the primary gone')
  pair.promoteStandby()
  const promoted = Date.now()
  await waitUntil(async () => (await fetch(`${base}/readyz`)).status === 200, 15_000, () => `not ready again after the promotion:\n${server?.output().slice(-3000)}`)

  // a sign-out raised after the switch: a login elsewhere ends the open page's session
  const elsewhere = await call(base, LOGIN, { loginKey: pageUser.email, loginValue: pageUser.password })
  assert.equal(elsewhere.json.code, '00')
  await waitUntil(() => /event: ended/.test(stream.text()), 15_000, () => `the open page was not told of the sign-out:\n${stream.text()}\n${server?.output().slice(-3000)}`)
  await stream.close()

  await waitUntil(() => Date.now() - loadStarted >= LOAD_MS, LOAD_MS, () => 'the load did not run')
  running = false
  await Promise.all(clients)

  const firstAfter = writes.filter((w) => w.code === '00' && w.started >= died).sort((a, b) => a.answered - b.answered)[0]
  assert.ok(firstAfter, 'a write succeeded after the failover')
  assert.deepEqual(others, [], 'every write, retried with its key, is acknowledged: no wrong business answer')

  // on the new primary (the endpoint leads there; the old one is down)
  const db = new pg.Client({ connectionString: pair.url })
  await db.connect()
  try {
    assert.equal((await db.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r, false)
    const userIds = [...new Set(writes.map((w) => w.userId))]
    // every acknowledged write is there under its key
    const { rows: keys } = await db.query<{ user_id: string; idem_key: string; response: string }>(
      'SELECT user_id, idem_key, response FROM de_idempotency WHERE user_id = ANY($1)', [userIds])
    const stored = new Map(keys.map((k) => [`${k.user_id} ${k.idem_key}`, k.response]))
    const lost = writes.filter((w) => stored.get(`${w.userId} ${w.key}`) !== '00')
    assert.deepEqual(lost, [], 'acknowledged writes missing on the new primary')
    // and ran once: a user's events are exactly the acknowledged writes, action by action
    const { rows: events } = await db.query<{ user_id: string; action: string; n: number }>(
      'SELECT user_id, action, count(*)::int AS n FROM de_user_ar_event WHERE user_id = ANY($1) GROUP BY user_id, action', [userIds])
    for (const userId of userIds) {
      for (const action of ['OPEN', 'CHANGE', 'CLOSE']) {
        const expected = writes.filter((w) => w.userId === userId && w.action === action).length
        const found = events.find((e) => e.user_id === userId && e.action === action)?.n ?? 0
        assert.equal(found, expected, `${userId} ${action}: ${found} events for ${expected} acknowledged writes`)
      }
    }
    // no agreement open twice; open exactly when the user's last write opened or changed it
    const { rows: rels } = await db.query<{ user_id: string; n: number }>(
      'SELECT user_id, count(*)::int AS n FROM de_user_ar_rel WHERE user_id = ANY($1) AND pd_code = $2 GROUP BY user_id', [userIds, PRODUCT])
    for (const userId of userIds) {
      const last = writes.filter((w) => w.userId === userId).at(-1)!
      assert.equal(rels.find((r) => r.user_id === userId)?.n ?? 0, last.action === 'CLOSE' ? 0 : 1, `${userId} after ${last.action}`)
    }
    // at most one live session per user
    const { rows: sessions } = await db.query<{ user_id: string; n: number }>(
      'SELECT user_id, count(*)::int AS n FROM de_session WHERE live_user_id IS NOT NULL GROUP BY user_id HAVING count(*) > 1')
    assert.deepEqual(sessions, [], 'users with more than one live session')

    // every change reaches the merchant, under one webhook id each
    const { rows: changed } = await db.query<{ event_id: string }>(
      'SELECT event_id::text FROM de_user_ar_event WHERE user_id = ANY($1) AND pd_code = $2', [userIds, PRODUCT])
    const want = new Set(changed.map((e) => e.event_id))
    const delivered = () => new Set(receiver!.copies.filter((c) => c.answered && c.verified).map((c) => c.payload.data.eventId))
    const missing = () => [...want].filter((id) => !delivered().has(id))
    // the queue delivers one at a time per agreement: the wait runs while deliveries keep coming
    for (let before = -1; missing().length > 0 && missing().length !== before; ) {
      before = missing().length
      await waitUntil(() => missing().length < before || missing().length === 0, 30_000, () => '').catch(() => {})
    }
    if (missing().length > 0) {
      const { rows: stuck } = await db.query('SELECT outbox_id::text, event_id::text, status, attempts, queued_at, job_id FROM de_webhook_outbox WHERE event_id::text = ANY($1)', [missing()])
      assert.fail(`${missing().length} of ${want.size} changes not delivered, none for 30 s: ${JSON.stringify(stuck)}\n${server?.output().slice(-3000)}`)
    }
    const idsOfEvent = new Map<string, Set<string>>()
    for (const copy of receiver.copies) {
      const ids = idsOfEvent.get(copy.payload.data.eventId) ?? new Set()
      ids.add(copy.webhookId)
      idsOfEvent.set(copy.payload.data.eventId, ids)
    }
    const twice = [...idsOfEvent].filter(([, ids]) => ids.size > 1)
    assert.deepEqual(twice, [], 'a change delivered under two webhook ids')

    const writesAfter = writes.filter((w) => w.started >= died).length
    console.log(
      `failover: ${((firstAfter.answered - died) / 1000).toFixed(2)} s from the primary's death to the first successful write ` +
        `(promoted ${((promoted - died) / 1000).toFixed(2)} s after it); ` +
        `${counts.acknowledged} writes acknowledged (${writesAfter} begun after the death), ${counts.retried} retried, ` +
        `${counts.unavailable} answered 99 (HTTP 503), ${counts.network} without an answer, ${counts.logins} sign-ins; ` +
        `0 acknowledged writes lost, 0 duplicates; ${want.size} changes delivered, ${receiver.copies.length} copies sent`,
    )
  } finally {
    await db.end()
  }
})
