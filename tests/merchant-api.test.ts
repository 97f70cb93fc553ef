import { testDatabaseEnv } from './support/test-database-env'
// The merchant's side through the built server (docs/merchants.md): a client
// generated from proto/merchant.proto on both doors, the other merchant refused,
// a merchant's close as the user sees it, and the signed webhooks of every change
// reaching a receiver on 127.0.0.1 in order, also after the receiver was down.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createClient, type Client, type Interceptor } from '@connectrpc/connect'
import { createConnectTransport, createGrpcTransport } from '@connectrpc/connect-node'
import { Merchant } from '../lib/gen/merchant_pb'
import { addTestMerchant, type TestMerchant } from './support/merchant-setup'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { CLOSE, CREATE, LIST, LOGIN } from './support/rpc'
import { call, startServer, waitUntil, type ServerProcess } from './support/server-process'
import { startReceiver, type Receiver } from './support/webhook-receiver'

const dbEnv = testDatabaseEnv()
// the receiver listens on loopback, which only development and tests may allow; retries come after 100 ms, not minutes
const webhookEnv = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: '400', WEBHOOK_POLL_MS: '100' }

let server: ServerProcess
let receiver: Receiver
let mobike: TestMerchant
let metro: TestMerchant
// a user per test: the one whose agreement is queried (and still open at the end), the one whose changes are followed, the one the merchant closes
let users: Record<'queried' | 'followed' | 'closed', TestUser>

before(async () => {
  receiver = await startReceiver()
  const [queried, followed, closed] = prepareDatabase(dbEnv, { users: 3 })
  users = { queried, followed, closed }
  mobike = addTestMerchant({ ...dbEnv, ...webhookEnv }, '摩拜单车', ['00000001'], receiver.url)
  metro = addTestMerchant({ ...dbEnv, ...webhookEnv }, '上海公共交通乘车码', ['00000002'])
  receiver.setSecret(mobike.signingSecret ?? '')
  server = await startServer({ ...dbEnv, ...webhookEnv })
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
  await receiver?.close()
})

/** A client generated from the published proto, over Connect JSON or gRPC, sending the merchant's key. */
function merchantClient(merchant: TestMerchant | { authorization: string }, door: 'connect' | 'grpc'): Client<typeof Merchant> {
  const auth: Interceptor[] = [
    (next) => (req) => {
      req.header.set('authorization', merchant.authorization)
      return next(req)
    },
  ]
  const transport =
    door === 'connect'
      ? createConnectTransport({ baseUrl: `${server.base}/api`, httpVersion: '1.1', interceptors: auth })
      : createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.grpcPort}`, interceptors: auth })
  return createClient(Merchant, transport)
}

async function signIn(user: TestUser) {
  const login = await call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })
  assert.equal(login.json.code, '00')
  return { userId: user.userId, headers: { authorization: `Bearer ${String(login.json.token)}` } }
}

const deduction = (userId: string, productCode = '00000001') => ({ arrangementType: 'Deduction', productCode, userId })

/**
 * The user's changes in the merchant's change feed, once it shows `count` of them: a
 * change enters the feed when no older transaction (of any database on the server)
 * is still running, so on a busy PostgreSQL it may take a moment.
 */
async function feedOf(userId: string, count: number) {
  const client = merchantClient(mobike, 'connect')
  let changes: Awaited<ReturnType<typeof client.listAgreementChanges>>['changes'] = []
  await waitUntil(
    async () => {
      const feed = await client.listAgreementChanges({ productCode: '00000001', pageSize: 500 })
      assert.equal(feed.code, '00')
      changes = feed.changes.filter((c) => c.userId === userId)
      return changes.length >= count
    },
    15_000,
    () => `the feed shows ${JSON.stringify(changes)}`,
  )
  return changes
}

test('a client generated from the protos queries an agreement the user opened, on both doors; the other merchant gets 04', async () => {
  const user = await signIn(users.queried)
  assert.equal((await call(server.base, CREATE, deduction(user.userId), user.headers)).json.code, '00')
  for (const door of ['connect', 'grpc'] as const) {
    const answer = await merchantClient(mobike, door).queryAgreement(deduction(user.userId))
    assert.equal(answer.code, '00', `${door}: ${answer.desc}`)
    assert.equal(answer.agreement?.open, true)
    assert.equal(answer.agreement?.productName, '摩拜单车微信免密支付')
    assert.ok(answer.agreement?.openedAt && !Number.isNaN(Date.parse(answer.agreement.openedAt)))
    const other = await merchantClient(metro, door).queryAgreement(deduction(user.userId))
    assert.equal(other.code, '04', door)
    assert.equal(other.agreement, undefined, 'nothing of the agreement')
    // a user's token is not a merchant credential
    const asUser = await merchantClient({ authorization: user.headers.authorization }, door).queryAgreement(deduction(user.userId))
    assert.equal(asUser.code, '03', door)
  }
})

test('every change of an agreement reaches the merchant signed and in order; missed ones arrive after an outage, once per webhook-id', async () => {
  const user = await signIn(users.followed)
  const mine = () => receiver.firstCopies().filter((c) => c.payload.data.userId === user.userId)
  assert.equal((await call(server.base, CREATE, deduction(user.userId), user.headers)).json.code, '00')
  assert.equal((await call(server.base, CLOSE, deduction(user.userId), user.headers)).json.code, '00')
  await waitUntil(() => mine().length >= 2, 15_000, () => `webhooks so far: ${JSON.stringify(mine())}`)

  // the receiver goes away; two more changes are made and their attempts fail
  await receiver.down()
  const failedRounds = () => server.output().split('\n').filter((l) => l.includes('"msg":"webhook attempt"') && l.includes('"outcome":"retry"')).length
  const failedBefore = failedRounds()
  assert.equal((await call(server.base, CREATE, deduction(user.userId), user.headers)).json.code, '00')
  assert.equal((await call(server.base, CLOSE, deduction(user.userId), user.headers)).json.code, '00')
  await waitUntil(() => failedRounds() >= failedBefore + 2, 15_000, () => 'the app did not try (and fail) twice while the receiver was down')
  await receiver.up()

  // the merchant's change feed names every history row of this user's agreement: each must arrive, in that order
  const expected = await feedOf(user.userId, 4)
  assert.deepEqual(expected.map((c) => c.action), ['OPEN', 'CLOSE', 'OPEN', 'CLOSE'])
  await waitUntil(() => mine().length >= expected.length, 20_000, () => `webhooks after the outage: ${JSON.stringify(mine().map((c) => c.payload.type))}`)
  const delivered = mine()
  assert.ok(delivered.every((c) => c.verified), 'every signature verifies with the standardwebhooks package')
  assert.deepEqual(delivered.map((c) => c.payload.data.eventId), expected.map((c) => c.eventId))
  const types: Record<string, string> = { OPEN: 'agreement.opened', CLOSE: 'agreement.closed', CHANGE: 'agreement.changed' }
  assert.deepEqual(delivered.map((c) => c.payload.type), expected.map((c) => types[c.action]))
  assert.ok(delivered.every((c) => c.webhookId === `evt_FC000001_${c.payload.data.eventId}`))
})

test("the merchant closes an agreement: the user's list drops it, the history names the merchant, and the event is delivered", async () => {
  const user = await signIn(users.closed)
  assert.equal((await call(server.base, CREATE, deduction(user.userId), user.headers)).json.code, '00')
  const client = merchantClient(mobike, 'connect')
  const closeRequest = { ...deduction(user.userId), reason: '用户在商户侧注销账户' }
  assert.equal((await merchantClient(metro, 'connect').closeAgreement(closeRequest)).code, '04')
  const key = { headers: { 'idempotency-key': `merchant-close-${user.userId}` } }
  assert.equal((await client.closeAgreement(closeRequest, key)).code, '00')
  assert.equal((await client.closeAgreement(closeRequest, key)).code, '00', 'the same key replays the first answer')
  assert.equal((await client.closeAgreement(closeRequest)).code, '17')

  const list = await call(server.base, LIST, { arrangementType: 'Deduction', userId: user.userId }, user.headers)
  assert.equal(list.json.code, '00')
  assert.ok(!(list.json.simpliedProductInfo as { productCode: string }[]).some((p) => p.productCode === '00000001'))
  const query = await client.queryAgreement(deduction(user.userId))
  assert.equal(query.agreement?.open, false)

  const last = (await feedOf(user.userId, 2)).at(-1)
  assert.equal(last?.action, 'CLOSE')
  assert.equal(last?.actorType, 'MERCHANT')
  assert.equal(last?.reason, '用户在商户侧注销账户')
  await waitUntil(
    () => receiver.firstCopies().some((c) => c.payload.data.userId === user.userId && c.payload.type === 'agreement.closed'),
    15_000,
    () => 'the close was not delivered',
  )
  const closed = receiver.firstCopies().find((c) => c.payload.data.userId === user.userId && c.payload.type === 'agreement.closed')
  assert.equal(closed?.payload.data.actorType, 'MERCHANT')
  assert.equal(closed?.payload.data.reason, '用户在商户侧注销账户')
  assert.equal(closed?.verified, true)
})

test('bad merchant input is answered 10 or 03 over JSON and changes nothing', async () => {
  const headers = { authorization: mobike.authorization }
  const cases: [unknown, string][] = [
    [{ arrangementType: 'Deduction', productCode: '', userId: 'U1' }, '10'],
    [{ arrangementType: 'Deduction', productCode: '00000001', userId: 'x'.repeat(33) }, '10'],
  ]
  for (const [body, code] of cases) {
    const answer = await call(server.base, 'deduction.Merchant/QueryAgreement', body, headers)
    assert.equal(answer.http, 200)
    assert.equal(answer.json.code, code)
  }
  const feed = await call(server.base, 'deduction.Merchant/ListAgreementChanges', { productCode: '00000001', cursor: 'not-ours' }, headers)
  assert.equal(feed.json.code, '10')
  assert.match(String(feed.json.desc), /cursor/)
  const noKey = await call(server.base, 'deduction.Merchant/CloseAgreement', { ...deduction(users.queried.userId), reason: 'x' })
  assert.equal(noKey.json.code, '03')
  // the agreement opened in the first test is still open
  assert.equal((await merchantClient(mobike, 'connect').queryAgreement(deduction(users.queried.userId))).agreement?.open, true)
})
