import { testDatabaseEnv } from './support/test-database-env'
// At least once across crashes (docs/merchants.md#notifications): the outbox row
// commits with the change, so an app killed with SIGKILL after the change and
// before its delivery delivers it after the restart; and one killed while an
// attempt is in flight sends it again once the attempt's lease has run out.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addTestMerchant } from './support/merchant-setup'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { CREATE, LOGIN } from './support/rpc'
import { call, startServer, waitUntil, type ServerProcess } from './support/server-process'
import { startReceiver, type Receiver } from './support/webhook-receiver'

const dbEnv = testDatabaseEnv()
const webhookEnv = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: '400', WEBHOOK_POLL_MS: '100', WEBHOOK_TIMEOUT_MS: '1000' }

let receiver: Receiver
let server: ServerProcess | undefined
let user: TestUser

before(async () => {
  receiver = await startReceiver()
  ;[user] = prepareDatabase(dbEnv, { users: 1 })
  const merchant = addTestMerchant({ ...dbEnv, ...webhookEnv }, '摩拜单车', ['00000001'], receiver.url)
  receiver.setSecret(merchant.signingSecret ?? '')
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
  await receiver?.close()
})

test('SIGKILL after a change commits and before its delivery: delivered after the restart; killed mid-attempt: sent again', async () => {
  // 1. delivery is off in this process: the open commits, nothing is sent, the process dies
  server = await startServer({ ...dbEnv, ...webhookEnv, WEBHOOK_DELIVERY: 'off' })
  const login = await call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })
  const open = await call(server.base, CREATE, { arrangementType: 'Deduction', productCode: '00000001', userId: user.userId }, { authorization: `Bearer ${String(login.json.token)}` })
  assert.equal(open.json.code, '00')
  assert.equal(await server.stop('SIGKILL'), null)
  assert.equal(receiver.copies.length, 0)

  // 2. restarted with delivery on, while the endpoint hangs: the attempt is in flight when the process is killed again
  receiver.setHolding(true)
  server = await startServer({ ...dbEnv, ...webhookEnv })
  await waitUntil(() => receiver.copies.length > 0, 20_000, () => `nothing sent after the restart:\n${server?.output()}`)
  await server.stop('SIGKILL')
  const inFlight = receiver.copies[0]
  assert.equal(inFlight.answered, false)
  assert.equal(inFlight.payload.type, 'agreement.opened')
  assert.equal(inFlight.payload.data.userId, user.userId)

  // 3. the endpoint answers again; after the next restart the event is sent again (its lease ran out) and accepted
  receiver.setHolding(false)
  server = await startServer({ ...dbEnv, ...webhookEnv })
  await waitUntil(() => receiver.copies.some((c) => c.answered), 30_000, () => `not sent again:\n${server?.output()}`)
  const accepted = receiver.copies.find((c) => c.answered)
  assert.equal(accepted?.webhookId, inFlight.webhookId, 'the same webhook-id, so the receiver can tell the copy')
  assert.equal(accepted?.verified, true)
  assert.deepEqual(receiver.firstCopies().map((c) => c.webhookId), [inFlight.webhookId])
})
