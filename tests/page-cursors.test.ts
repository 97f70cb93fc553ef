import { testDatabaseEnv } from './support/test-database-env'
// Page cursors through the built server (docs/product.md#page-tokens-and-cursors): a
// forged, edited, truncated or foreign page token or change cursor is code 10 naming
// the field with HTTP 200 on the JSON door, the same code on the gRPC door, and a
// notice with the way back to the first page on the services page.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { createClient, type Interceptor } from '@connectrpc/connect'
import { createGrpcTransport } from '@connectrpc/connect-node'
import { Company } from '../lib/gen/deduction_pb'
import { Merchant } from '../lib/gen/merchant_pb'
import { base64url, oneCharacterEdits, truncationsOf } from '@/lib/testing/forged-cursors'
import { addTestMerchant, type TestMerchant } from './support/merchant-setup'
import { prepareDatabase, type TestUser } from './support/prepare-database'
import { CREATE, LIST, LOGIN } from './support/rpc'
import { call, startServer, type ServerProcess } from './support/server-process'
import { webLogin } from './support/web-login'

const dbEnv = testDatabaseEnv()
const CHANGES = 'deduction.Merchant/ListAgreementChanges'
const OUT_OF_RANGE = 'c1.9223372036854775808.1'

let server: ServerProcess
let mobike: TestMerchant
let metro: TestMerchant
// four users of this file's own, one per test and two for the first
let users: Record<'ana' | 'ben' | 'cy' | 'dee', TestUser>

before(async () => {
  const [ana, ben, cy, dee] = prepareDatabase(dbEnv, { users: 4 })
  users = { ana, ben, cy, dee }
  mobike = addTestMerchant(dbEnv, '摩拜单车', ['00000001'])
  metro = addTestMerchant(dbEnv, '上海公共交通乘车码', ['00000002'])
  server = await startServer(dbEnv)
})

after(async () => {
  if (server && !server.exited()) await server.stop('SIGKILL')
})

/** Signs the user in over the API and opens an agreement on both seed products for them. */
async function userWithTwoAgreements(user: TestUser) {
  const login = await call(server.base, LOGIN, { loginKey: user.email, loginValue: user.password })
  assert.equal(login.json.code, '00')
  const token = String(login.json.token)
  for (const productCode of ['00000001', '00000002']) {
    assert.equal((await call(server.base, CREATE, { token, arrangementType: 'Deduction', productCode, userId: user.userId })).json.code, '00')
  }
  const list = { token, arrangementType: 'Deduction', userId: user.userId, pageSize: 1 }
  return { ...user, token, list }
}

const authorized = (merchant: TestMerchant): Interceptor[] => [
  (next) => (req) => {
    req.header.set('authorization', merchant.authorization)
    return next(req)
  },
]

test('the JSON door: a forged, edited, truncated or foreign page token or change cursor is 10 naming the field, with HTTP 200', async () => {
  const ana = await userWithTwoAgreements(users.ana)
  const ben = await userWithTwoAgreements(users.ben)
  const first = await call(server.base, LIST, ana.list)
  const pageToken = String(first.json.nextPageToken)
  const cursorOf = async (merchant: TestMerchant, productCode: string) =>
    String((await call(server.base, CHANGES, { productCode, pageSize: 1 }, { authorization: merchant.authorization })).json.nextCursor)
  const cursor = await cursorOf(mobike, '00000001')

  const forgedTokens = [
    OUT_OF_RANGE,
    base64url(OUT_OF_RANGE),
    String((await call(server.base, LIST, ben.list)).json.nextPageToken),
    cursor,
    ...truncationsOf(pageToken),
    ...oneCharacterEdits(pageToken),
  ]
  for (const token of forgedTokens) {
    const answer = await call(server.base, LIST, { ...ana.list, pageToken: token })
    assert.deepEqual([answer.http, answer.json.code], [200, '10'], token)
    assert.match(String(answer.json.desc), /pageToken/)
  }
  const forgedCursors = [OUT_OF_RANGE, base64url(OUT_OF_RANGE), await cursorOf(metro, '00000002'), pageToken, ...truncationsOf(cursor), ...oneCharacterEdits(cursor)]
  for (const forged of forgedCursors) {
    const answer = await call(server.base, CHANGES, { productCode: '00000001', cursor: forged }, { authorization: mobike.authorization })
    assert.deepEqual([answer.http, answer.json.code], [200, '10'], forged)
    assert.match(String(answer.json.desc), /cursor/)
  }

  // nothing changed: a walk with the tokens handed out returns every service exactly once, newest first
  const seen: string[] = []
  let next = ''
  do {
    const page = await call(server.base, LIST, { ...ana.list, pageToken: next })
    assert.equal(page.json.code, '00')
    seen.push(...(page.json.simpliedProductInfo as { productCode: string }[]).map((p) => p.productCode))
    next = String(page.json.nextPageToken)
  } while (next)
  assert.deepEqual(seen, ['00000002', '00000001'])
  assert.equal((await call(server.base, CHANGES, { productCode: '00000001', cursor }, { authorization: mobike.authorization })).json.code, '00')
})

test('the gRPC door: the same forged tokens and cursors answer code 10 naming the field', async () => {
  const cy = await userWithTwoAgreements(users.cy)
  const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.grpcPort}` })
  const company = createClient(Company, transport)
  const pageToken = (await company.queryDeductionListByUserIdAndArType(cy.list)).nextPageToken
  assert.notEqual(pageToken, '')
  const mobikeFeed = createClient(Merchant, createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.grpcPort}`, interceptors: authorized(mobike) }))
  const metroFeed = createClient(Merchant, createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.grpcPort}`, interceptors: authorized(metro) }))
  const cursor = (await mobikeFeed.listAgreementChanges({ productCode: '00000001', pageSize: 1 })).nextCursor

  for (const token of [OUT_OF_RANGE, base64url(OUT_OF_RANGE), cursor, pageToken.slice(0, -1), oneCharacterEdits(pageToken)[10]]) {
    const answer = await company.queryDeductionListByUserIdAndArType({ ...cy.list, pageToken: token })
    assert.equal(answer.code, '10', token)
    assert.match(answer.desc, /pageToken/)
    assert.deepEqual(answer.simpliedProductInfo, [])
  }
  for (const forged of [OUT_OF_RANGE, base64url(OUT_OF_RANGE), pageToken, cursor.slice(0, -1), oneCharacterEdits(cursor)[10]]) {
    const answer = await mobikeFeed.listAgreementChanges({ productCode: '00000001', cursor: forged })
    assert.equal(answer.code, '10', forged)
    assert.match(answer.desc, /cursor/)
  }
  const foreign = await metroFeed.listAgreementChanges({ productCode: '00000002', cursor })
  assert.equal(foreign.code, '10', "another merchant's cursor")
  const later = await company.queryDeductionListByUserIdAndArType({ ...cy.list, pageToken })
  assert.equal(later.code, '00')
  assert.deepEqual(later.simpliedProductInfo.map((p) => p.productCode), ['00000001'])
})

test('the services page: an edited page token shows a notice and the way back to the first page, not an error page', async () => {
  const dee = await userWithTwoAgreements(users.dee)
  const pageToken = String((await call(server.base, LIST, dee.list)).json.nextPageToken)
  // the browser's session replaces the API's (one device at a time); page tokens belong to the user, not the session
  const { cookie } = await webLogin(server.base, dee)
  assert.ok(cookie, 'signed in')
  const page = async (token: string) => {
    const res = await fetch(`${server.base}/services?page=${encodeURIComponent(token)}`, { headers: { cookie }, redirect: 'manual' })
    return { status: res.status, html: await res.text() }
  }
  const shows = (html: string, testId: string) => html.includes(`data-testid="${testId}"`)
  const edited = await page(oneCharacterEdits(pageToken)[12])
  assert.equal(edited.status, 200)
  assert.ok(shows(edited.html, 'bad-page-token'), 'the notice')
  assert.ok(!shows(edited.html, 'service-list'), 'no list')
  const back = /<a [^>]*data-testid="first-page"[^>]*>/.exec(edited.html)?.[0] ?? ''
  assert.match(back, / href="\/services"/, 'a link back to the first page')
  for (const token of [OUT_OF_RANGE, base64url(OUT_OF_RANGE)]) assert.ok(shows((await page(token)).html, 'bad-page-token'), token)
  // the token as handed out still shows the second page
  const second = await page(pageToken)
  assert.equal(second.status, 200)
  assert.ok(!shows(second.html, 'bad-page-token') && shows(second.html, 'service-list'), 'the second page')
})
