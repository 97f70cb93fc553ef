import '@/lib/testing/fresh-database'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { prisma, closeDatabase } from '@/lib/db'
import { AdminError } from '@/lib/admin/errors'
import { addMerchant, createMerchantKey } from '@/lib/admin/merchants'
import { readDatabaseMark } from '@/lib/db/database-mark'
import { addReturnOrigin, listReturnOrigins, removeReturnOrigin } from '@/lib/admin/return-origins'
import { setWebhookEndpoint } from '@/lib/admin/webhooks'
import { DomainError, ResultCode } from '@/lib/errors'
import { authenticateMerchant } from '@/lib/merchants/authenticate-merchant'
import type { MerchantActor } from '@/lib/merchants/merchant-actor'
import { openAgreement } from '@/lib/agreements/open-agreement'
import { cancelSignRequest } from '@/lib/signing/cancel-sign-request'
import { confirmSignRequest } from '@/lib/signing/confirm-sign-request'
import { createSignRequest, type CreatedSignRequest } from '@/lib/signing/create-sign-request'
import { declineSignRequest } from '@/lib/signing/decline-sign-request'
import { expireSignRequests } from '@/lib/signing/expire-sign-requests'
import { allowsLoopbackReturnOrigins } from '@/lib/signing/loopback-return-origins'
import { querySignRequest } from '@/lib/signing/query-sign-request'
import { returnOriginProblem } from '@/lib/signing/return-origin'
import { hashSignToken } from '@/lib/signing/sign-link'
import { actorFor, createCatalogue, createUser, resultCode } from '@/lib/testing/fixtures'
import type { Actor } from '@/lib/auth/actor'

let mobike: MerchantActor
let metro: MerchantActor
let alice: Actor
let bob: Actor
let n = 0
const SHOP = 'https://shop.example'

async function merchant(name: string, products: string[]): Promise<MerchantActor> {
  const m = await addMerchant(prisma, { name, products })
  const key = await createMerchantKey(prisma, { merchantId: m.id })
  return authenticateMerchant(`Bearer ${key.keyId}.${key.secret}`)
}

/** A fresh request of mobike's, with the given fields over sensible ones. */
const ask = (fields: Record<string, unknown> = {}, options: { idempotencyKey?: string } = {}, actor = mobike) =>
  createSignRequest(actor, { productCode: '00000001', merchantReference: `order-${++n}`, returnUrl: `${SHOP}/signed`, propertyValues: { paymentMethod: 'BALANCE_FIRST' }, ...fields }, options)

const tokenOf = (created: CreatedSignRequest) => new URL(created.signUrl).pathname.split('/').at(-1) as string

async function detail(error: Promise<unknown>): Promise<{ code: string; field?: string }> {
  try {
    await error
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, field: e.detail?.field }
    throw e
  }
  return { code: '00' }
}

before(async () => {
  await createCatalogue()
  mobike = await merchant('摩拜单车', ['00000001'])
  metro = await merchant('上海公共交通乘车码', ['00000002'])
  await addReturnOrigin(prisma, { merchantId: mobike.merchantId, origin: SHOP })
  alice = await actorFor(await createUser('alice@example.com'))
  bob = await actorFor(await createUser('bob@example.com'))
})
after(closeDatabase)

test('return origins: add (https, normalised), list, remove; bad origins and unknown merchants refused', async () => {
  await addReturnOrigin(prisma, { merchantId: metro.merchantId, origin: 'https://Metro.example:8443/' })
  await addReturnOrigin(prisma, { merchantId: metro.merchantId, origin: 'https://metro.example:8443' })
  assert.deepEqual(await listReturnOrigins(prisma, { merchantId: metro.merchantId }), ['https://metro.example:8443'])
  for (const origin of ['http://metro.example', 'https://metro.example/path', 'https://u:p@metro.example', 'javascript:alert(1)', 'metro.example']) {
    await assert.rejects(addReturnOrigin(prisma, { merchantId: metro.merchantId, origin }), (e: unknown) => e instanceof AdminError && e.kind === 'invalid', origin)
  }
  await assert.rejects(addReturnOrigin(prisma, { merchantId: 'M0000000000000000', origin: SHOP }), (e: unknown) => e instanceof AdminError && e.kind === 'not-found')
  await removeReturnOrigin(prisma, { merchantId: metro.merchantId, origin: 'https://metro.example:8443' })
  assert.deepEqual(await listReturnOrigins(prisma, { merchantId: metro.merchantId }), [])
  await assert.rejects(removeReturnOrigin(prisma, { merchantId: metro.merchantId, origin: SHOP }), (e: unknown) => e instanceof AdminError && e.kind === 'not-found')
})

test('a sign request: a link with a 256-bit token stored only as its hash, 900 s by default', async () => {
  const before = Date.now()
  const created = await ask()
  assert.match(created.signRequestId, /^sr_[0-9a-f]{24}$/)
  assert.equal(created.signStatus, 'PENDING')
  const token = tokenOf(created)
  assert.match(token, /^[A-Za-z0-9_-]{43}$/)
  assert.ok(!created.signUrl.includes(created.signRequestId))
  const row = await prisma.signRequest.findUniqueOrThrow({ where: { tenantId_id: { tenantId: mobike.tenantId, id: created.signRequestId } } })
  assert.equal(row.tokenHash, hashSignToken(token))
  assert.ok(!JSON.stringify(row).includes(token))
  const seconds = (created.expireTime.getTime() - before) / 1000
  assert.ok(seconds > 895 && seconds < 905, `expires in ${seconds} s`)
})

test('bad input is 10 naming the field and writes nothing; a product not offered by this merchant is 14', async () => {
  const count = () => prisma.signRequest.count()
  const rows = await count()
  const cases: [Record<string, unknown>, string][] = [
    [{ expiresInSeconds: 59 }, 'expiresInSeconds'],
    [{ expiresInSeconds: 3601 }, 'expiresInSeconds'],
    [{ merchantReference: '' }, 'merchantReference'],
    [{ merchantReference: 'has space' }, 'merchantReference'],
    [{ returnUrl: 'https://evil.example/steal' }, 'returnUrl'],
    [{ returnUrl: 'http://shop.example/signed' }, 'returnUrl'],
    [{ returnUrl: 'https://user:pw@shop.example/x' }, 'returnUrl'],
    [{ returnUrl: '/relative' }, 'returnUrl'],
    [{ propertyValues: { paymentMethod: 'GOLD_BARS' } }, 'propertyValues.paymentMethod'],
    [{ propertyValues: { nonsense: 'x' } }, 'propertyValues.nonsense'],
    [{ propertyValues: 'not an object' }, 'propertyValues'],
  ]
  for (const [fields, field] of cases) assert.deepEqual(await detail(ask(fields)), { code: '10', field }, JSON.stringify(fields))
  assert.equal(await resultCode(ask({ productCode: '00000002' })), '14')
  assert.equal(await resultCode(ask({ productCode: 'NOPE0001' })), '14')
  assert.equal(await count(), rows)
  assert.equal((await ask({ expiresInSeconds: 60 })).signStatus, 'PENDING')
  assert.equal((await ask({ expiresInSeconds: 3600 })).signStatus, 'PENDING')
})

test('the same merchantReference answers the same request; a different field is 10 naming it; Idempotency-Key replays too', async () => {
  const fields = { merchantReference: 'replay-1' }
  const first = await ask(fields)
  const again = await ask(fields)
  assert.deepEqual(again, first)
  assert.deepEqual(await detail(ask({ ...fields, returnUrl: `${SHOP}/other` })), { code: '10', field: 'returnUrl' })
  assert.deepEqual(await detail(ask({ ...fields, propertyValues: { paymentMethod: 'BANK_CARD' } })), { code: '10', field: 'propertyValues' })
  assert.deepEqual(await detail(ask({ ...fields, expiresInSeconds: 600 })), { code: '10', field: 'expiresInSeconds' })
  // another merchant's reference space is its own
  await addReturnOrigin(prisma, { merchantId: metro.merchantId, origin: SHOP })
  const metros = await ask({ ...fields, productCode: '00000002' }, {}, metro)
  assert.notEqual(metros.signRequestId, first.signRequestId)

  const keyed = await ask({ merchantReference: 'keyed-1' }, { idempotencyKey: 'k-1' })
  assert.deepEqual(await ask({ merchantReference: 'keyed-1' }, { idempotencyKey: 'k-1' }), keyed)
  assert.deepEqual(await detail(ask({ merchantReference: 'keyed-2' }, { idempotencyKey: 'k-1' })), { code: '10', field: 'Idempotency-Key' })
})

test("query: the merchant's own request; another merchant's is 04, an unknown id 18, a malformed one 10", async () => {
  const created = await ask()
  const state = await querySignRequest(mobike, { signRequestId: created.signRequestId })
  assert.equal(state.status, 'PENDING')
  assert.equal(state.agreement, null)
  assert.equal(await resultCode(querySignRequest(metro, { signRequestId: created.signRequestId })), '04')
  assert.equal(await resultCode(querySignRequest(mobike, { signRequestId: 'sr_000000000000000000000000' })), '18')
  assert.equal(await resultCode(querySignRequest(mobike, { signRequestId: '1' })), '10')
  assert.equal(await resultCode(cancelSignRequest(metro, { signRequestId: created.signRequestId })), '04')
})

test('confirm opens the agreement with the proposed terms and marks SIGNED; query shows the agreement', async () => {
  const carol = await actorFor(await createUser('carol@example.com'))
  const created = await ask({ propertyValues: { paymentMethod: 'BANK_CARD', account: '13800138000' } })
  const outcome = await confirmSignRequest(carol, tokenOf(created))
  assert.equal(outcome.changed, true)
  assert.equal(outcome.status, 'SIGNED')
  const back = new URL(outcome.returnTo)
  assert.equal(back.origin + back.pathname, `${SHOP}/signed`)
  assert.equal(back.searchParams.get('signRequestId'), created.signRequestId)
  assert.equal(back.searchParams.get('signStatus'), 'SIGNED')
  const state = await querySignRequest(mobike, { signRequestId: created.signRequestId })
  assert.equal(state.status, 'SIGNED')
  assert.equal(state.userId, carol.userId)
  assert.ok(state.finishedAt)
  assert.equal(state.agreement?.open, true)
  assert.deepEqual(JSON.parse(state.agreement?.propertyValues ?? ''), { account: '13800138000', paymentMethod: 'BANK_CARD' })
})

test('two tabs confirm at once: exactly one wins, one agreement, one history row', async () => {
  const dave = await actorFor(await createUser('dave@example.com'))
  const token = tokenOf(await ask())
  const outcomes = await Promise.all([confirmSignRequest(dave, token), confirmSignRequest(dave, token)])
  assert.deepEqual(outcomes.map((o) => o.changed).sort(), [false, true])
  assert.ok(outcomes.every((o) => o.status === 'SIGNED'))
  assert.equal(await prisma.agreement.count({ where: { userId: dave.userId } }), 1)
  assert.equal(await prisma.agreementEvent.count({ where: { userId: dave.userId, action: 'OPEN' } }), 1)
  // another user opening the signed link changes nothing and learns it was signed by someone else
  const other = await confirmSignRequest(bob, token)
  assert.deepEqual([other.changed, other.status, other.signedByOther], [false, 'SIGNED', true])
  assert.equal(await prisma.agreement.count({ where: { userId: bob.userId } }), 0)
})

test('a user who already holds the product gets 16 and the request stays PENDING', async () => {
  await openAgreement(alice, { arrangementType: 'Deduction', productCode: '00000001', userId: alice.userId })
  const created = await ask()
  assert.equal(await resultCode(confirmSignRequest(alice, tokenOf(created))), '16')
  assert.equal((await querySignRequest(mobike, { signRequestId: created.signRequestId })).status, 'PENDING')
})

test('confirm after expiry changes nothing and says EXPIRED; the sweep ends requests nobody looks at', async () => {
  const erin = await actorFor(await createUser('erin@example.com'))
  const looked = await ask()
  const unseen = await ask()
  await prisma.signRequest.updateMany({ where: { id: { in: [looked.signRequestId, unseen.signRequestId] } }, data: { expireAt: new Date(Date.now() - 1000) } })
  const outcome = await confirmSignRequest(erin, tokenOf(looked))
  assert.deepEqual([outcome.changed, outcome.status], [false, 'EXPIRED'])
  assert.equal(await prisma.agreement.count({ where: { userId: erin.userId } }), 0)
  assert.ok((await expireSignRequests()) >= 1)
  const row = await prisma.signRequest.findFirstOrThrow({ where: { id: unseen.signRequestId } })
  assert.equal(row.status, 'EXPIRED')
  assert.ok(row.finishedAt)
  assert.equal(await expireSignRequests(), 0)
})

test('cancel: PENDING becomes CANCELLED once; cancel after sign answers SIGNED unchanged; a cancelled link cannot be signed', async () => {
  const frank = await actorFor(await createUser('frank@example.com'))
  const pending = await ask()
  const cancelled = await cancelSignRequest(mobike, { signRequestId: pending.signRequestId })
  assert.deepEqual([cancelled.cancelled, cancelled.record.status], [true, 'CANCELLED'])
  const twice = await cancelSignRequest(mobike, { signRequestId: pending.signRequestId })
  assert.deepEqual([twice.cancelled, twice.record.status], [false, 'CANCELLED'])
  const late = await confirmSignRequest(frank, tokenOf(pending))
  assert.deepEqual([late.changed, late.status], [false, 'CANCELLED'])

  const signed = await ask()
  await confirmSignRequest(frank, tokenOf(signed))
  const afterSign = await cancelSignRequest(mobike, { signRequestId: signed.signRequestId })
  assert.deepEqual([afterSign.cancelled, afterSign.record.status], [false, 'SIGNED'])
})

test('decline marks DECLINED by the user; a later confirm changes nothing; an unknown link is 18', async () => {
  const gina = await actorFor(await createUser('gina@example.com'))
  const created = await ask()
  const declined = await declineSignRequest(gina, tokenOf(created))
  assert.deepEqual([declined.changed, declined.status, new URL(declined.returnTo).searchParams.get('signStatus')], [true, 'DECLINED', 'DECLINED'])
  const again = await confirmSignRequest(gina, tokenOf(created))
  assert.deepEqual([again.changed, again.status], [false, 'DECLINED'])
  assert.equal(await prisma.agreement.count({ where: { userId: gina.userId } }), 0)
  assert.equal(await resultCode(confirmSignRequest(gina, 'A'.repeat(43))), '18')
  assert.equal(await resultCode(declineSignRequest(gina, 'not-a-token')), '18')
})

test('every outcome is an outbox row, written with the change; signed comes after the agreement it opened', async () => {
  const shop = await merchant('event shop', await productFor('EVT00001'))
  await addReturnOrigin(prisma, { merchantId: shop.merchantId, origin: SHOP })
  await setWebhookEndpoint(prisma, { merchantId: shop.merchantId, url: 'https://hooks.example/fc' })
  const hank = await actorFor(await createUser('hank@example.com'))
  const ivy = await actorFor(await createUser('ivy@example.com'))
  const own = (fields: Record<string, unknown> = {}) => ask({ productCode: 'EVT00001', ...fields }, {}, shop)
  const signed = await own()
  await confirmSignRequest(hank, tokenOf(signed))
  const declined = await own()
  await declineSignRequest(ivy, tokenOf(declined))
  const cancelled = await own()
  await cancelSignRequest(shop, { signRequestId: cancelled.signRequestId })
  const expired = await own()
  await prisma.signRequest.updateMany({ where: { id: expired.signRequestId }, data: { expireAt: new Date(Date.now() - 1000) } })
  await expireSignRequests()
  const pending = await own()

  const rows = await prisma.webhookOutbox.findMany({ where: { merchantId: shop.merchantId }, orderBy: { id: 'asc' } })
  const described = rows.map((r) => [r.eventId === null ? 'sign' : 'event', r.signRequestId, r.userId])
  assert.deepEqual(described, [
    ['event', null, hank.userId],
    ['sign', signed.signRequestId, hank.userId],
    ['sign', declined.signRequestId, ivy.userId],
    ['sign', cancelled.signRequestId, ''],
    ['sign', expired.signRequestId, ''],
  ])
  assert.ok(!rows.some((r) => r.signRequestId === pending.signRequestId))
  // the signed outcome shares the agreement's ordering key, so it is delivered after agreement.opened
  assert.deepEqual([rows[1].merchantId, rows[1].userId, rows[1].productCode, rows[1].arrangementNo], [rows[0].merchantId, rows[0].userId, rows[0].productCode, rows[0].arrangementNo])
})

async function productFor(code: string): Promise<string[]> {
  await prisma.product.create({ data: { tenantId: mobike.tenantId, code, name: `product ${code}`, description: 'd', orgName: 'o' } })
  return [code]
}

// Last in the file: the mark only goes forward (none → demo → production), as it does for real.
test('http loopback return origins follow the database mark, not DEMO_MODE: allowed on a demo database only; never another http host', async () => {
  const LOCAL = 'http://127.0.0.1:3999'
  const askLocal = () => ask({ returnUrl: `${LOCAL}/back` })
  const mark = (to: 'demo' | 'production') =>
    prisma.$executeRawUnsafe(
      `INSERT INTO de_database_mark (id, mark, marked_by) VALUES (1, $1, 'signing.test') ON CONFLICT (id) DO UPDATE SET mark = EXCLUDED.mark`,
      to,
    )
  assert.equal(await readDatabaseMark(), null, 'a fresh test database is unmarked')
  assert.equal(await allowsLoopbackReturnOrigins(), false)
  await assert.rejects(addReturnOrigin(prisma, { merchantId: mobike.merchantId, origin: LOCAL }), (e: unknown) => e instanceof AdminError && e.kind === 'invalid')

  await mark('demo')
  assert.equal(await allowsLoopbackReturnOrigins(), true)
  await addReturnOrigin(prisma, { merchantId: mobike.merchantId, origin: LOCAL })
  assert.equal((await askLocal()).signStatus, 'PENDING')
  await assert.rejects(addReturnOrigin(prisma, { merchantId: mobike.merchantId, origin: 'http://10.0.0.1' }), (e: unknown) => e instanceof AdminError && e.kind === 'invalid')

  // registered while the database was a demo one, refused once it is production
  await mark('production')
  assert.equal(await allowsLoopbackReturnOrigins(), false)
  assert.deepEqual(await detail(askLocal()), { code: ResultCode.INVALID_ARGUMENT, field: 'returnUrl' })
  assert.match(returnOriginProblem('http://localhost:3000', false) ?? '', /must be https/)
  assert.equal(returnOriginProblem('http://localhost:3000', true), undefined)
  assert.equal(returnOriginProblem('http://10.0.0.1', true), 'must be https')
})
