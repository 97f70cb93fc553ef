import { testDatabaseEnv } from './support/test-database-env'
// Merchant-initiated signing through the built server (docs/merchants.md#merchant-initiated-signing):
// CreateSignRequest, QuerySignRequest and CancelSignRequest from a client generated
// from proto/merchant.proto on both doors, the other merchant refused (04),
// replays, bad input answered 10 and never 5xx, the outcome's signed event
// reaching the merchant's endpoint with its merchantReference, and the sign page's
// confirm and decline forms (lib/http/sign-form.ts) as its script and a browser
// without script post them.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createClient, type Client, type Interceptor } from '@connectrpc/connect'
import { createConnectTransport, createGrpcTransport } from '@connectrpc/connect-node'
import { Merchant } from '../lib/gen/merchant_pb'
import { addTestMerchant, runAdmin, type TestMerchant } from './support/merchant-setup'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { call, startServer, waitUntil, type ServerProcess } from './support/server-process'
import { startReceiver, type Receiver } from './support/webhook-receiver'
import { webLogin } from './support/web-login'

const dbEnv = testDatabaseEnv()
const webhookEnv = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: '400', WEBHOOK_POLL_MS: '100' }
const SHOP = 'https://shop.example'

let server: ServerProcess
let receiver: Receiver
let mobike: TestMerchant
let metro: TestMerchant
let signers: TestUser[]
let n = 0

before(async () => {
  receiver = await startReceiver()
  signers = prepareDatabase(dbEnv, { users: 3, label: 'signer' })
  mobike = addTestMerchant({ ...dbEnv, ...webhookEnv }, '摩拜单车', ['00000001'], receiver.url)
  metro = addTestMerchant({ ...dbEnv, ...webhookEnv }, '上海公共交通乘车码', ['00000002'])
  runAdmin(dbEnv, ['merchant:return-origin:add', '--merchant', mobike.id, '--origin', SHOP])
  receiver.setSecret(mobike.signingSecret ?? '')
  server = await startServer({ ...dbEnv, ...webhookEnv })
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
  await receiver?.close()
})

function merchantClient(merchant: TestMerchant, door: 'connect' | 'grpc', headers: Record<string, string> = {}): Client<typeof Merchant> {
  const auth: Interceptor[] = [
    (next) => (req) => {
      req.header.set('authorization', merchant.authorization)
      for (const [name, value] of Object.entries(headers)) req.header.set(name, value)
      return next(req)
    },
  ]
  const transport =
    door === 'connect'
      ? createConnectTransport({ baseUrl: `${server.base}/api`, httpVersion: '1.1', interceptors: auth })
      : createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.grpcPort}`, interceptors: auth })
  return createClient(Merchant, transport)
}

const request = (fields: Partial<{ merchantReference: string; returnUrl: string; expiresInSeconds: number; propertyValues: Record<string, string> }> = {}) => ({
  productCode: '00000001',
  merchantReference: `server-${++n}`,
  returnUrl: `${SHOP}/signed`,
  propertyValues: { paymentMethod: 'BALANCE_FIRST' },
  ...fields,
})

for (const door of ['connect', 'grpc'] as const) {
  test(`${door}: create, replay by merchantReference, query, cancel; the other merchant gets 04, an unknown id 18`, async () => {
    const client = merchantClient(mobike, door)
    const fields = request()
    const created = await client.createSignRequest(fields)
    assert.equal(created.code, '00', created.desc)
    assert.match(created.signRequestId, /^sr_[0-9a-f]{24}$/)
    assert.match(created.signUrl, /\/sign\/[A-Za-z0-9_-]{43}$/)
    const expires = Date.parse(created.expireTime) - Date.now()
    assert.ok(expires > 890_000 && expires <= 900_000, `expires in ${expires} ms`)
    const replay = await client.createSignRequest(fields)
    assert.deepEqual([replay.code, replay.signRequestId, replay.signUrl, replay.expireTime], ['00', created.signRequestId, created.signUrl, created.expireTime])
    const changed = await client.createSignRequest({ ...fields, returnUrl: `${SHOP}/elsewhere` })
    assert.equal(changed.code, '10')
    assert.match(changed.desc, /returnUrl/)

    const state = await client.querySignRequest({ signRequestId: created.signRequestId })
    assert.deepEqual([state.code, state.signStatus, state.merchantReference, state.productCode, state.userId, state.finishTime], ['00', 'PENDING', fields.merchantReference, '00000001', '', ''])
    assert.equal(state.agreement, undefined)

    const other = merchantClient(metro, door)
    assert.equal((await other.querySignRequest({ signRequestId: created.signRequestId })).code, '04')
    assert.equal((await other.cancelSignRequest({ signRequestId: created.signRequestId })).code, '04')
    assert.equal((await other.createSignRequest(request())).code, '14')
    assert.equal((await client.querySignRequest({ signRequestId: 'sr_000000000000000000000000' })).code, '18')

    const cancelled = await client.cancelSignRequest({ signRequestId: created.signRequestId })
    assert.deepEqual([cancelled.code, cancelled.signStatus], ['00', 'CANCELLED'])
    const again = await client.cancelSignRequest({ signRequestId: created.signRequestId })
    assert.deepEqual([again.code, again.status, again.signStatus], ['19', 'FAILED', 'CANCELLED'])
    const after = await client.querySignRequest({ signRequestId: created.signRequestId })
    assert.equal(after.signStatus, 'CANCELLED')
    assert.ok(after.finishTime)
  })
}

test('an Idempotency-Key replays the first answer; the same key with another body is 10', async () => {
  const key = { 'idempotency-key': `sign-${Date.now()}` }
  const client = merchantClient(mobike, 'connect', key)
  const fields = request()
  const first = await client.createSignRequest(fields)
  assert.equal(first.code, '00')
  assert.equal((await client.createSignRequest(fields)).signRequestId, first.signRequestId)
  const other = await client.createSignRequest(request())
  assert.equal(other.code, '10')
  assert.match(other.desc, /Idempotency-Key/)
})

test('bad input over JSON is 10 naming the field (or a protocol 400), never 5xx, and makes no request', async () => {
  const headers = { authorization: mobike.authorization, 'accept-language': 'en' }
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...request(), expiresInSeconds: 30 }, /expiresInSeconds/],
    [{ ...request(), expiresInSeconds: 7200 }, /expiresInSeconds/],
    [{ ...request(), returnUrl: 'https://evil.example/x' }, /returnUrl/],
    [{ ...request(), returnUrl: 'javascript:alert(1)' }, /returnUrl/],
    [{ ...request(), merchantReference: '' }, /merchantReference/],
    [{ ...request(), merchantReference: 'x'.repeat(65) }, /merchantReference/],
    [{ ...request(), propertyValues: { paymentMethod: 'GOLD' } }, /propertyValues\.paymentMethod/],
    [{ ...request(), propertyValues: { unknownTerm: 'x' } }, /propertyValues\.unknownTerm/],
    [{ ...request(), productCode: '' }, /productCode/],
  ]
  for (const [body, field] of cases) {
    const answer = await call(server.base, 'deduction.Merchant/CreateSignRequest', body, headers)
    assert.equal(answer.http, 200, JSON.stringify(body))
    assert.equal(answer.json.code, '10', JSON.stringify(answer.json))
    assert.match(String(answer.json.desc), field)
  }
  for (const body of [{ ...request(), expiresInSeconds: 'soon' }, { ...request(), propertyValues: ['a'] }, { ...request(), propertyValues: { a: 1 } }, 'not json']) {
    const answer = await call(server.base, 'deduction.Merchant/CreateSignRequest', body, headers)
    assert.ok(answer.http < 500, `${JSON.stringify(body)} answered ${answer.http}`)
  }
  for (const signRequestId of ['', 'sr_', '1', 'x'.repeat(500), 'sr_zzzzzzzzzzzzzzzzzzzzzzzz']) {
    const answer = await call(server.base, 'deduction.Merchant/QuerySignRequest', { signRequestId }, headers)
    assert.equal(answer.http, 200)
    assert.equal(answer.json.code, '10', signRequestId)
  }
  const noKey = await call(server.base, 'deduction.Merchant/CreateSignRequest', request(), {})
  assert.equal(noKey.json.code, '03')
})

test('the unknown, the expired and the finished link show a page that says which, never a 5xx', async () => {
  const unknown = await fetch(`${server.base}/sign/${'A'.repeat(43)}`)
  assert.equal(unknown.status, 200)
  assert.match(await unknown.text(), /data-state="UNKNOWN"/)
  assert.match(unknown.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/)
  for (const token of ['x', '%00', 'a'.repeat(2000)]) assert.ok((await fetch(`${server.base}/sign/${token}`)).status < 500, token)
  const created = await merchantClient(mobike, 'connect').createSignRequest(request())
  const path = new URL(created.signUrl).pathname
  const status = await fetch(`${server.base}${path}/status`)
  assert.deepEqual(await status.json(), { signStatus: 'PENDING' })
  await merchantClient(mobike, 'connect').cancelSignRequest({ signRequestId: created.signRequestId })
  assert.match(await (await fetch(`${server.base}${path}`)).text(), /data-state="CANCELLED"/)
  assert.equal((await fetch(`${server.base}/sign/${'A'.repeat(43)}/status`)).status, 404)
})

test('a cancelled request reaches the merchant as a signed sign_request.cancelled event with its merchantReference', async () => {
  const fields = request()
  const created = await merchantClient(mobike, 'connect').createSignRequest(fields)
  await merchantClient(mobike, 'connect').cancelSignRequest({ signRequestId: created.signRequestId })
  const find = () => receiver.firstCopies().find((c) => c.payload.data.signRequestId === created.signRequestId)
  await waitUntil(() => find() !== undefined, 15_000, () => `received ${JSON.stringify(receiver.firstCopies().map((c) => c.payload))}`)
  const event = find()
  assert.equal(event?.verified, true)
  assert.equal(event?.payload.type, 'sign_request.cancelled')
  assert.equal(event?.payload.data.merchantReference, fields.merchantReference)
  assert.equal(event?.payload.data.signStatus, 'CANCELLED')
  assert.equal(event?.webhookId, `evt_FC000001_${created.signRequestId}`)
})

/** A browser session of `user`: its session cookie, as the login form sets it. */
async function signedIn(user: TestUser): Promise<string> {
  const { cookie, status } = await webLogin(server.base, user)
  assert.ok(cookie, `login answered ${status} without a session cookie`)
  return cookie
}

/** The sign page's `verb` form posted for `path` (/sign/<token>): by its script (JSON) or as a plain form (303). */
function post(path: string, verb: 'confirm' | 'decline', cookie: string | undefined, as: 'script' | 'form', headers: Record<string, string> = {}) {
  const origin = new URL(server.base).origin
  return fetch(`${server.base}${path}/${verb}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, 'sec-fetch-site': 'same-origin', ...(as === 'script' ? { accept: 'application/json' } : {}), ...(cookie ? { cookie } : {}), ...headers },
  })
}

const signPath = async (fields = request()) => new URL((await merchantClient(mobike, 'connect').createSignRequest(fields)).signUrl).pathname
const statusOf = async (path: string) => ((await (await fetch(`${server.base}${path}/status`)).json()) as { signStatus: string }).signStatus

test('the sign page\'s confirm: signed in, back to the returnUrl with SIGNED; again, why nothing changed; the merchant sees the agreement', async () => {
  const cookie = await signedIn(signers[0])
  const fields = request({ propertyValues: { paymentMethod: 'BANK_CARD' } })
  const path = await signPath(fields)
  const answer = await post(path, 'confirm', cookie, 'script')
  assert.equal(answer.status, 200)
  const { redirect } = (await answer.json()) as { redirect: string }
  const back = new URL(redirect)
  assert.equal(`${back.origin}${back.pathname}`, fields.returnUrl)
  assert.equal(back.searchParams.get('signStatus'), 'SIGNED')
  const state = await merchantClient(mobike, 'connect').querySignRequest({ signRequestId: back.searchParams.get('signRequestId')! })
  assert.deepEqual([state.signStatus, state.userId, state.agreement?.open], ['SIGNED', signers[0].userId, true])
  assert.deepEqual(JSON.parse(state.agreement?.propertyValues ?? ''), { paymentMethod: 'BANK_CARD' })

  const again = await post(path, 'confirm', cookie, 'script', { 'accept-language': 'en' })
  assert.deepEqual(await again.json(), { code: '19', changed: false, message: 'You have signed this request; nothing more to do here.' })
  // another request for the product the user now holds: code 16, and the request stays pending
  const second = await signPath()
  const held = await post(second, 'confirm', cookie, 'script')
  assert.deepEqual(await held.json(), { code: '16', changed: false, message: '重复开通扣费服务' })
  assert.equal(await statusOf(second), 'PENDING')
  // as a plain form: back to the sign page, which names the failure by its code alone
  const form = await post(second, 'confirm', cookie, 'form')
  assert.equal(form.status, 303)
  assert.equal(form.headers.get('location'), `${second}?failed=16`)
  const page = await (await fetch(`${server.base}${form.headers.get('location')}`, { headers: { cookie } })).text()
  assert.match(page, /data-testid="sign-outcome"[^>]*>重复开通扣费服务</)
})

test('the sign page\'s decline as a plain form: 303 to the returnUrl with DECLINED; a signed-out post goes to login and changes nothing', async () => {
  const path = await signPath()
  for (const as of ['script', 'form'] as const) {
    const answer = await post(path, 'confirm', undefined, as)
    const login = `/login?next=${encodeURIComponent(path)}`
    if (as === 'script') assert.deepEqual(await answer.json(), { redirect: login })
    else assert.deepEqual([answer.status, answer.headers.get('location')], [303, login])
  }
  assert.equal(await statusOf(path), 'PENDING')
  const declined = await post(path, 'decline', await signedIn(signers[1]), 'form')
  assert.equal(declined.status, 303)
  const back = new URL(declined.headers.get('location')!)
  assert.deepEqual([back.origin, back.searchParams.get('signStatus')], [SHOP, 'DECLINED'])
  assert.equal(await statusOf(path), 'DECLINED')
})

test('the sign page\'s forms refuse a post from anywhere but our pages, a GET, and an unknown link, and change nothing', async () => {
  const cookie = await signedIn(signers[2])
  const path = await signPath()
  const forged: Record<string, string>[] = [{ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }]
  for (const headers of forged) {
    const answer = await post(path, 'confirm', cookie, 'script', headers)
    assert.equal(answer.status, 403, JSON.stringify(headers))
    assert.match(await answer.text(), /cross-origin request refused/)
  }
  const get = await fetch(`${server.base}${path}/confirm`, { headers: { cookie } })
  assert.deepEqual([get.status, get.headers.get('allow')], [405, 'POST'])
  assert.equal(await statusOf(path), 'PENDING')
  const unknown = await post(`/sign/${'A'.repeat(43)}`, 'confirm', cookie, 'script', { 'accept-language': 'en' })
  assert.deepEqual(await unknown.json(), { code: '18', changed: false, message: 'Sign request does not exist' })
  for (const token of ['x', '%00', 'a'.repeat(2000)]) assert.ok((await post(`/sign/${token}`, 'confirm', cookie, 'form')).status < 500, token)
})
