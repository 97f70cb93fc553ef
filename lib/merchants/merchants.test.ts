import '@/lib/testing/fresh-database'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { prisma, closeDatabase } from '@/lib/db'
import { adminCloseAgreement } from '@/lib/admin/close-agreement'
import { addMerchant, createMerchantKey, revokeMerchantKey, rotateMerchantKey } from '@/lib/admin/merchants'
import { setWebhookEndpoint } from '@/lib/admin/webhooks'
import { authenticateMerchant } from '@/lib/merchants/authenticate-merchant'
import { hashKeySecret, newKeyId, newKeySecret } from '@/lib/merchants/api-key'
import { closeAgreement as closeAgreementAsMerchant } from '@/lib/merchants/close-agreement'
import { listAgreementChanges } from '@/lib/merchants/list-changes'
import { queryAgreement } from '@/lib/merchants/query-agreement'
import { closeAgreement } from '@/lib/agreements/close-agreement'
import { getAgreement } from '@/lib/agreements/get-agreement'
import { listAgreements } from '@/lib/agreements/list-agreements'
import { openAgreement } from '@/lib/agreements/open-agreement'
import { actorFor, createCatalogue, createUser, resultCode } from '@/lib/testing/fixtures'
import type { Actor } from '@/lib/auth/actor'
import fc from 'fast-check'
import { base64url, cursorLike, invalidField, oneCharacterEdits, truncationsOf } from '@/lib/testing/forged-cursors'
import { OTHER_TENANT } from '../../tests/support/other-tenant'
import { waitUntil } from '@/lib/testing/wait-until'

let alice: Actor
let bob: Actor
let mobike: { id: string; authorization: string; keyId: string }
let metro: { id: string; authorization: string; keyId: string }
const target = (actor: Actor, productCode = '00000001') => ({ arrangementType: 'Deduction', productCode, userId: actor.userId })

async function merchantWithKey(name: string, products: string[]) {
  const merchant = await addMerchant(prisma, { name, products })
  const key = await createMerchantKey(prisma, { merchantId: merchant.id })
  return { id: merchant.id, keyId: key.keyId, authorization: `Bearer ${key.keyId}.${key.secret}` }
}

before(async () => {
  await createCatalogue()
  alice = await actorFor(await createUser('alice@example.com'))
  bob = await actorFor(await createUser('bob@example.com'))
  mobike = await merchantWithKey('摩拜单车', ['00000001'])
  metro = await merchantWithKey('上海公共交通乘车码', ['00000002'])
})
after(closeDatabase)

const as = (authorization: string) => authenticateMerchant(authorization)

test('a merchant key authenticates its merchant; anything else is 03', async () => {
  const actor = await as(mobike.authorization)
  assert.equal(actor.merchantId, mobike.id)
  const [, secret] = mobike.authorization.split('.')
  for (const header of [
    undefined,
    '',
    `Bearer ${mobike.keyId}`,
    `Bearer ${mobike.keyId}.${newKeySecret()}`, // the right key id, a wrong secret
    `Bearer ${newKeyId()}.${secret}`, // an unknown key id
    `Basic ${mobike.authorization.slice(7)}`,
    `Bearer fca_${'a'.repeat(43)}`, // a user's access token is no merchant key
  ]) {
    assert.equal(await resultCode(as(header as string)), '03', `header ${header}`)
  }
})

test('a revoked key is 03 at once; a rotated one works until its overlap ends', async () => {
  await assert.rejects(addMerchant(prisma, { name: 'rotating', products: ['ROT00001'] }), /no product ROT00001/)
  await prisma.product.create({ data: { tenantId: alice.tenantId, code: 'ROT00001', name: 'rotating', description: 'r', orgName: 'r' } })
  await assert.rejects(addMerchant(prisma, { name: 'again', products: ['00000001'] }), /already has a merchant/)
  const m = await merchantWithKey('rotating', ['ROT00001'])
  const rotated = await rotateMerchantKey(prisma, { keyId: m.keyId, overlapHours: 1 })
  // both work during the overlap
  assert.equal((await as(m.authorization)).merchantId, m.id)
  assert.equal((await as(`Bearer ${rotated.keyId}.${rotated.secret}`)).merchantId, m.id)
  assert.ok(rotated.oldExpiresAt.getTime() > Date.now() + 3500_000 && rotated.oldExpiresAt.getTime() < Date.now() + 3700_000)
  // the overlap over: the old key is refused, the new one works
  await prisma.merchantCredential.update({ where: { tenantId_keyId: { tenantId: alice.tenantId, keyId: m.keyId } }, data: { expiresAt: new Date(Date.now() - 1000) } })
  assert.equal(await resultCode(as(m.authorization)), '03')
  assert.equal((await as(`Bearer ${rotated.keyId}.${rotated.secret}`)).merchantId, m.id)
  await revokeMerchantKey(prisma, { keyId: rotated.keyId })
  assert.equal(await resultCode(as(`Bearer ${rotated.keyId}.${rotated.secret}`)), '03')
})

test("a merchant queries its own product's agreement; the other merchant's product is 04", async () => {
  await openAgreement(alice, target(alice))
  const a = await queryAgreement(await as(mobike.authorization), target(alice))
  assert.equal(a.open, true)
  assert.equal(a.productName, '摩拜单车微信免密支付')
  assert.equal(a.arrangementNo, '00000001')
  // the arrangement's term definitions as declared, and the values the open stored (the defaults here)
  assert.deepEqual(JSON.parse(a.terms).properties.map((p: { key: string }) => p.key), ['account', 'paymentMethod'])
  assert.deepEqual(JSON.parse(a.propertyValues), { paymentMethod: 'DEFAULT_ORDER' })
  assert.ok(a.openedAt instanceof Date)
  // the other merchant: 04, whether the product exists or not
  assert.equal(await resultCode(queryAgreement(await as(metro.authorization), target(alice))), '04')
  assert.equal(await resultCode(queryAgreement(await as(metro.authorization), target(alice, 'NOPE0001'))), '04')
  // bob has none: an answer, not a failure
  const none = await queryAgreement(await as(mobike.authorization), target(bob))
  assert.equal(none.open, false)
  assert.equal(none.openedAt, null)
  // fields first (10), then the type (15)
  assert.equal(await resultCode(queryAgreement(await as(mobike.authorization), { ...target(alice), userId: '' })), '10')
  assert.equal(await resultCode(queryAgreement(await as(mobike.authorization), { ...target(alice), arrangementType: 'Free' })), '15')
})

test('another tenant: its merchant key is 03 here, and its products are not ours to query', async () => {
  const t = OTHER_TENANT
  const keyId = newKeyId()
  const secret = newKeySecret()
  const statements = `
    INSERT INTO de_prod (tnt_inst_id, pd_code, pd_name, pd_desc, pd_org_name, gmt_create, gmt_modified)
      VALUES ('${t.tenantId}', '${t.productCode}', 'other', 'other', 'other org', now(), now());
    INSERT INTO de_merchant (tnt_inst_id, merchant_id, merchant_name, merchant_status, gmt_create, gmt_modified)
      VALUES ('${t.tenantId}', 'M0000000000000002', 'other tenant merchant', '1', now(), now());
    INSERT INTO de_merchant_prod (tnt_inst_id, pd_code, merchant_id, gmt_create) VALUES ('${t.tenantId}', '${t.productCode}', 'M0000000000000002', now());
    INSERT INTO de_merchant_credential (tnt_inst_id, key_id, merchant_id, secret_hash, gmt_create)
      VALUES ('${t.tenantId}', '${keyId}', 'M0000000000000002', '${hashKeySecret(secret)}', now())`
  for (const statement of statements.split(';')) await prisma.$executeRawUnsafe(statement)
  assert.equal(await resultCode(as(`Bearer ${keyId}.${secret}`)), '03')
  assert.equal(await resultCode(queryAgreement(await as(mobike.authorization), { arrangementType: 'Deduction', productCode: t.productCode, userId: t.userId })), '04')
})

test('the merchant closes: the list no longer shows it, the history says the merchant ended it, the key replays', async () => {
  await openAgreement(bob, target(bob, '00000002'))
  const merchant = await as(metro.authorization)
  const close = { ...target(bob, '00000002'), reason: '账户已注销' }
  assert.equal(await resultCode(closeAgreementAsMerchant(await as(mobike.authorization), close)), '04')
  assert.equal(await resultCode(closeAgreementAsMerchant(merchant, { ...close, reason: '' })), '10')
  assert.equal(await resultCode(closeAgreementAsMerchant(merchant, close, { idempotencyKey: 'merchant-close-1' })), '00')
  // the same key again: the first answer, not 17
  assert.equal(await resultCode(closeAgreementAsMerchant(merchant, close, { idempotencyKey: 'merchant-close-1' })), '00')
  assert.equal(await resultCode(closeAgreementAsMerchant(merchant, { ...close, reason: 'other' }, { idempotencyKey: 'merchant-close-1' })), '10')
  assert.equal(await resultCode(closeAgreementAsMerchant(merchant, close)), '17')
  const list = await listAgreements(bob, { arrangementType: 'Deduction', userId: bob.userId })
  assert.ok(!list.items.some((i) => i.productCode === '00000002'))
  const detail = await getAgreement(bob, { arrangementType: 'Deduction', productCode: '00000002' })
  assert.equal(detail.openedAt, null)
  const last = detail.history.at(-1)
  assert.equal(last?.action, 'CLOSE')
  assert.equal(last?.actorType, 'MERCHANT')
  assert.equal(last?.reason, '账户已注销')
  const event = await prisma.agreementEvent.findFirst({ where: { userId: bob.userId, productCode: '00000002' }, orderBy: { id: 'desc' } })
  assert.equal(event?.actorId, metro.id)
  assert.equal(event?.sessionId, null)
})

test("the change feed: a product's changes oldest first, by pages, from an opaque cursor", async () => {
  const product = '00000001'
  const merchant = await as(mobike.authorization)
  const carol = await actorFor(await createUser('carol@example.com'))
  const erin = await actorFor(await createUser('erin@example.com'))
  for (const user of [carol, erin]) {
    await openAgreement(user, target(user, product))
    await closeAgreement(user, target(user, product))
  }
  const name = (userId: string) => (userId === carol.userId ? 'carol' : userId === erin.userId ? 'erin' : undefined)
  // a change enters the feed once no older transaction on the server is running: on a shared PostgreSQL, wait for it
  await waitUntil(
    async () => (await listAgreementChanges(merchant, { productCode: product, pageSize: 500 })).changes.filter((c) => name(c.userId)).length >= 4,
    15_000,
    () => 'the four changes entered the feed',
  )
  const seen: string[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < 50; pages++) {
    const page = await listAgreementChanges(merchant, { productCode: product, cursor, pageSize: 1 })
    assert.ok(page.changes.length <= 1)
    seen.push(...page.changes.flatMap((c) => (name(c.userId) ? [`${name(c.userId)} ${c.action}`] : [])))
    cursor = page.nextCursor
    if (!page.more) break
  }
  assert.deepEqual(seen, ['carol OPEN', 'carol CLOSE', 'erin OPEN', 'erin CLOSE'])
  // nothing new: the same cursor comes back
  const idle = await listAgreementChanges(merchant, { productCode: product, cursor })
  assert.deepEqual(idle.changes, [])
  assert.equal(idle.nextCursor, cursor)
  assert.equal(await resultCode(listAgreementChanges(merchant, { productCode: product, cursor: 'bm90LWEtY3Vyc29y' })), '10')
  assert.equal(await resultCode(listAgreementChanges(merchant, { productCode: product, pageSize: 501 })), '10')
  assert.equal(await resultCode(listAgreementChanges(await as(metro.authorization), { productCode: product })), '04')
})

test('the outbox: every history row of a product whose merchant has an endpoint gets its delivery row, in the same transaction', async () => {
  const dave = await actorFor(await createUser('dave@example.com'))
  const before = await prisma.webhookOutbox.count()
  await openAgreement(dave, target(dave, '00000001'))
  assert.equal(await prisma.webhookOutbox.count(), before, 'no endpoint yet: nothing to deliver')
  await setWebhookEndpoint(prisma, { merchantId: mobike.id, url: 'https://hooks.example.com/fc' })
  await closeAgreement(dave, target(dave, '00000001'))
  await openAgreement(dave, target(dave, '00000002')) // metro has no endpoint
  const rows = await prisma.webhookOutbox.findMany({ where: { userId: dave.userId } })
  assert.equal(rows.length, 1)
  assert.equal(rows[0].merchantId, mobike.id)
  assert.equal(rows[0].status, 'PENDING')
  const event = await prisma.agreementEvent.findFirst({ where: { userId: dave.userId, productCode: '00000001', action: 'CLOSE' } })
  assert.equal(rows[0].eventId, event?.id)
  // a change that rolls back leaves no delivery row either
  await assert.rejects(
    prisma.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO de_user_ar_event (tnt_inst_id, user_id, pd_code, ar_no, action, outcome_code, gmt_create)
        VALUES (${dave.tenantId}, ${dave.userId}, '00000001', '00000001', 'OPEN', '00', now())`
      throw new Error('roll back')
    }),
    /roll back/,
  )
  assert.equal(await prisma.webhookOutbox.count({ where: { userId: dave.userId } }), 1)
})

test('an administrator closes an agreement: the history names an administrator and the reason; not open is refused', async () => {
  const frank = await actorFor(await createUser('frank@example.com'))
  await openAgreement(frank, target(frank, '00000002'))
  await adminCloseAgreement(prisma, { userId: frank.userId, productCode: '00000002', reason: '用户投诉' })
  const last = (await getAgreement(frank, { arrangementType: 'Deduction', productCode: '00000002' })).history.at(-1)
  assert.equal(last?.actorType, 'ADMIN')
  assert.equal(last?.reason, '用户投诉')
  await assert.rejects(adminCloseAgreement(prisma, { userId: frank.userId, productCode: '00000002', reason: 'again' }), /no open agreement/)
  await assert.rejects(adminCloseAgreement(prisma, { userId: frank.userId, productCode: '00000002', reason: '' }), /reason/)
})

test('the change cursor is sealed to its merchant: forged, edited, truncated, out-of-range or foreign ones are 10 naming cursor', async () => {
  const merchant = await as(mobike.authorization)
  const other = await as(metro.authorization)
  const changes = (actor: typeof merchant, cursor: string) =>
    listAgreementChanges(actor, { productCode: actor === merchant ? '00000001' : '00000002', cursor, pageSize: 1 })
  const lena = await actorFor(await createUser('lena@example.com'))
  for (const code of ['00000001', '00000002']) await openAgreement(lena, target(lena, code))
  const pageToken = (await listAgreements(lena, { arrangementType: 'Deduction', userId: lena.userId, pageSize: 1 })).nextPageToken
  // the earlier tests' changes are in the feed: the page after the first change holds the second
  const cursor = (await listAgreementChanges(merchant, { productCode: '00000001', pageSize: 1 })).nextCursor
  const answer = await changes(merchant, cursor)
  assert.equal(answer.changes.length, 1)
  const otherCursor = (await listAgreementChanges(other, { productCode: '00000002', pageSize: 1 })).nextCursor

  const forged: Record<string, string> = {
    'an out-of-range plain cursor': 'c1.9223372036854775808.1',
    'the same in base64url': base64url('c1.9223372036854775808.1'),
    'an out-of-range event id': base64url('c1.1.9223372036854775808'),
    'the old plain form of the start': base64url('c1.0.0'),
    "the other merchant's cursor": otherCursor,
    "a user's page token": pageToken,
  }
  for (const [label, c] of Object.entries(forged)) assert.equal(await invalidField(changes(merchant, c)), 'code 10 cursor', label)
  for (const c of [...truncationsOf(cursor), ...oneCharacterEdits(cursor)]) assert.equal(await invalidField(changes(merchant, c)), 'code 10 cursor', c)
  assert.equal(await invalidField(changes(other, cursor)), 'code 10 cursor', "this merchant's cursor given by the other")
  assert.equal(
    await invalidField(listAgreements(lena, { arrangementType: 'Deduction', userId: lena.userId, pageToken: cursor })),
    'code 10 pageToken',
    'a change cursor given to the list',
  )
  // nothing changed: the cursor handed out still answers with the same change (a change that
  // enters the feed later always sorts after it)
  assert.deepEqual((await changes(merchant, cursor)).changes, answer.changes)
})

test('any string as a change cursor answers a page or 10 naming cursor, never anything else', async () => {
  const merchant = await as(mobike.authorization)
  const changes = (cursor: string) => listAgreementChanges(merchant, { productCode: '00000001', cursor, pageSize: 1 })
  const real = (await changes('')).nextCursor
  await fc.assert(
    fc.asyncProperty(cursorLike(real), async (cursor) => {
      assert.equal(await invalidField(changes(cursor)), cursor === '' || cursor === real ? 'answered' : 'code 10 cursor')
    }),
    { numRuns: 400 },
  )
})
