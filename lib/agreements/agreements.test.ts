import '@/lib/testing/fresh-database'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { prisma, closeDatabase } from '@/lib/db'
import { DomainError } from '@/lib/errors'
import { openAgreement } from '@/lib/agreements/open-agreement'
import { closeAgreement } from '@/lib/agreements/close-agreement'
import { listAgreements } from '@/lib/agreements/list-agreements'
import { getAgreement } from '@/lib/agreements/get-agreement'
import { listCatalogue } from '@/lib/agreements/list-catalogue'
import { pruneIdempotencyRecords, pruneThrottleCounters } from '@/lib/agreements/prune-expired'
import { actorFor, createCatalogue, createUser, resultCode } from '@/lib/testing/fixtures'
import type { Actor } from '@/lib/auth/actor'
import fc from 'fast-check'
import { base64url, cursorLike, invalidField, oneCharacterEdits, truncationsOf } from '@/lib/testing/forged-cursors'
import { OTHER_TENANT } from '../../tests/support/other-tenant'

let alice: Actor
let bob: Actor
const target = (actor: Actor, productCode = '00000001') => ({ arrangementType: 'Deduction', productCode, userId: actor.userId })


before(async () => {
  await createCatalogue(250)
  alice = await actorFor(await createUser('alice@example.com'))
  bob = await actorFor(await createUser('bob@example.com'))
})
after(closeDatabase)

test('the result-code table: open 14, 15, 00, 16; close 14, 15, 00, 17; list 15', async () => {
  assert.equal(await resultCode(openAgreement(alice, target(alice, '99999999'))), '14')
  assert.equal(await resultCode(openAgreement(alice, { ...target(alice), arrangementType: 'Free' })), '15')
  assert.equal(await resultCode(openAgreement(alice, target(alice))), '00')
  assert.equal(await resultCode(openAgreement(alice, target(alice))), '16')
  assert.equal(await resultCode(closeAgreement(alice, target(alice, '99999999'))), '14')
  assert.equal(await resultCode(closeAgreement(alice, { ...target(alice), arrangementType: 'Free' })), '15')
  assert.equal(await resultCode(closeAgreement(alice, target(alice))), '00')
  assert.equal(await resultCode(closeAgreement(alice, target(alice))), '17')
  assert.equal(await resultCode(listAgreements(alice, { arrangementType: 'Free', userId: alice.userId })), '15')
})

test("acting for another user's id is 04 and changes nothing", async () => {
  assert.equal(await resultCode(openAgreement(alice, target(bob))), '04')
  assert.equal(await prisma.agreement.count({ where: { userId: bob.userId } }), 0)
})

test('bad fields are 10 and name the field', async () => {
  const cases = [
    { ...target(alice), productCode: '' },
    { ...target(alice), productCode: 'x'.repeat(33) },
    { ...target(alice), productCode: 'a\u0000b' },
    { ...target(alice), productCode: 42 },
    { ...target(alice), arrangementType: undefined },
  ]
  for (const input of cases) {
    await assert.rejects(openAgreement(alice, input), (e: unknown) => e instanceof DomainError && e.code === '10' && !!e.detail?.field)
  }
  // 32 emoji are 32 characters, as PostgreSQL counts them: valid length, unknown product
  assert.equal(await resultCode(openAgreement(alice, { ...target(alice), productCode: '😀'.repeat(32) })), '14')
})

test('open, close, open: listed, then not, history of three events in order', async () => {
  const t = target(bob, '00000002')
  await openAgreement(bob, t)
  const listed = await listAgreements(bob, { arrangementType: 'Deduction', userId: bob.userId })
  assert.deepEqual(listed.items.map((i) => [i.productCode, i.productName, i.productOrgName]), [['00000002', '上海公共交通微信免密支付', '上海公共交通乘车码']])
  await closeAgreement(bob, t)
  assert.equal((await listAgreements(bob, { arrangementType: 'Deduction', userId: bob.userId })).items.length, 0)
  await openAgreement(bob, t)
  const detail = await getAgreement(bob, { arrangementType: 'Deduction', productCode: '00000002' })
  assert.deepEqual(detail.history.map((h) => h.action), ['OPEN', 'CLOSE', 'OPEN'])
  assert.ok(detail.openedAt)
  assert.deepEqual(detail.arrangement.properties, ['开通账号', '扣款方式'])
  const catalogue = await listCatalogue(bob, { arrangementType: 'Deduction' })
  assert.equal(catalogue.products.find((p) => p.code === '00000002')?.opened, true)
  assert.equal(catalogue.products.find((p) => p.code === '00000001')?.opened, false)
})

test('a long history shows its latest 200 events, oldest first', async () => {
  const hana = await actorFor(await createUser('hana@example.com'))
  const t = target(hana, '00000001')
  // 207 events: OPEN, CLOSE, … OPEN; the latest 200 begin with the 8th, a CLOSE
  for (let i = 0; i < 103; i++) {
    await openAgreement(hana, t)
    await closeAgreement(hana, t)
  }
  await openAgreement(hana, t)
  const { history } = await getAgreement(hana, { arrangementType: 'Deduction', productCode: '00000001' })
  assert.equal(history.length, 200)
  assert.deepEqual([history[0].action, history[1].action, history[199].action], ['CLOSE', 'OPEN', 'OPEN'])
  assert.ok(history.every((h, i) => i === 0 || h.at >= history[i - 1].at))
})

test('concurrent opens: one row, one 00, the rest 16; concurrent closes: one 00, the rest 17', async () => {
  const carol = await actorFor(await createUser('carol@example.com'))
  for (let round = 0; round < 3; round++) {
    const opens = await Promise.all(Array.from({ length: 20 }, () => resultCode(openAgreement(carol, target(carol)))))
    assert.equal(opens.filter((c) => c === '00').length, 1)
    assert.equal(opens.filter((c) => c === '16').length, 19)
    assert.equal(await prisma.agreement.count({ where: { userId: carol.userId } }), 1)
    const closes = await Promise.all(Array.from({ length: 20 }, () => resultCode(closeAgreement(carol, target(carol)))))
    assert.equal(closes.filter((c) => c === '00').length, 1)
    assert.equal(closes.filter((c) => c === '17').length, 19)
  }
})

test('an idempotency key replays the first answer; another body with it is 10', async () => {
  const dave = await actorFor(await createUser('dave@example.com'))
  const results = await Promise.all(Array.from({ length: 5 }, () => resultCode(openAgreement(dave, target(dave), { idempotencyKey: 'key-1' }))))
  assert.deepEqual(results, ['00', '00', '00', '00', '00'])
  assert.equal(await prisma.agreementEvent.count({ where: { userId: dave.userId } }), 1)
  assert.equal(await resultCode(openAgreement(dave, target(dave, '00000002'), { idempotencyKey: 'key-1' })), '10')
  assert.equal(await resultCode(openAgreement(dave, target(dave), { idempotencyKey: 'key-2' })), '16')
  assert.equal(await resultCode(openAgreement(dave, target(dave), { idempotencyKey: 'key-2' })), '16')
})

test('an idempotency key is replayed for 24 hours, then runs afresh; pruning removes only expired records', async () => {
  const frank = await actorFor(await createUser('frank@example.com'))
  const age = (key: string, hours: number) =>
    prisma.$executeRaw`UPDATE de_idempotency SET gmt_create = now() - make_interval(mins => ${hours * 60}) WHERE user_id = ${frank.userId} AND idem_key = ${key}`
  const keys = async () => (await prisma.idempotencyRecord.findMany({ where: { userId: frank.userId }, orderBy: { key: 'asc' } })).map((r) => r.key)

  assert.equal(await resultCode(openAgreement(frank, target(frank), { idempotencyKey: 'day-old' })), '00')
  await age('day-old', 23)
  assert.equal(await resultCode(openAgreement(frank, target(frank), { idempotencyKey: 'day-old' })), '00', 'replayed within 24 hours')
  await age('day-old', 25)
  // no longer replayed: the open runs again and finds the service open
  assert.equal(await resultCode(openAgreement(frank, target(frank), { idempotencyKey: 'day-old' })), '16')
  assert.equal(await resultCode(openAgreement(frank, target(frank), { idempotencyKey: 'day-old' })), '16', 'the new answer is replayed')
  // an expired key is free for another request, too
  await age('day-old', 25)
  assert.equal(await resultCode(closeAgreement(frank, target(frank), { idempotencyKey: 'day-old' })), '00')
  assert.equal(await prisma.agreementEvent.count({ where: { userId: frank.userId } }), 2)

  await openAgreement(frank, target(frank, '00000002'), { idempotencyKey: 'expired' })
  await openAgreement(frank, target(frank, 'P0000000'), { idempotencyKey: 'fresh' })
  await age('expired', 24.5)
  await age('fresh', 23.5)
  assert.ok((await pruneIdempotencyRecords()) >= 1)
  assert.deepEqual(await keys(), ['day-old', 'fresh'])
})

test('pruning removes throttle counters whose window ended over an hour ago, and only those', async () => {
  const counter = (key: string, endedMinutesAgo: number) =>
    prisma.$executeRaw`INSERT INTO de_rate_limit (tnt_inst_id, scope, throttle_key, failures, in_flight, window_ends_at)
      VALUES (${alice.tenantId}, 'address', ${key}, 3, 0, now() - make_interval(mins => ${endedMinutesAgo}))`
  await counter('192.0.2.1', 61)
  await counter('192.0.2.2', 30)
  await counter('192.0.2.3', -10)
  assert.equal(await pruneThrottleCounters(), 1)
  const left = await prisma.$queryRaw<{ key: string }[]>`SELECT throttle_key AS key FROM de_rate_limit WHERE throttle_key LIKE '192.0.2.%' ORDER BY 1`
  assert.deepEqual(left.map((r) => r.key), ['192.0.2.2', '192.0.2.3'])
})

test('pagination: 250 services, every one exactly once, newest first, at page sizes 20 and 100', async () => {
  const erin = await actorFor(await createUser('erin@example.com'))
  const codes = Array.from({ length: 250 }, (_, i) => `P${String(i).padStart(7, '0')}`)
  for (const code of codes) await openAgreement(erin, target(erin, code))
  for (const pageSize of [20, 100]) {
    const seen: string[] = []
    let pageToken = ''
    do {
      const page = await listAgreements(erin, { arrangementType: 'Deduction', userId: erin.userId, pageSize, pageToken })
      assert.ok(page.items.length <= pageSize)
      seen.push(...page.items.map((i) => i.productCode))
      pageToken = page.nextPageToken
    } while (pageToken)
    assert.deepEqual(seen, [...codes].reverse())
  }
  assert.equal(await resultCode(listAgreements(erin, { arrangementType: 'Deduction', userId: erin.userId, pageToken: 'bogus' })), '10')
  assert.equal(await resultCode(listAgreements(erin, { arrangementType: 'Deduction', userId: erin.userId, pageSize: 101 })), '10')
})

test('a page token is sealed to its user, tenant and arrangement type: forged, edited, truncated, foreign or old ones are 10 naming pageToken', async () => {
  const ivan = await actorFor(await createUser('ivan@example.com'))
  const june = await actorFor(await createUser('june@example.com'))
  for (const user of [ivan, june]) for (const code of ['P0000010', 'P0000011', 'P0000012']) await openAgreement(user, target(user, code))
  const list = (actor: Actor, pageToken?: string, arrangementType = 'Deduction') =>
    listAgreements(actor, { arrangementType, userId: actor.userId, pageSize: 1, pageToken })
  const token = (await list(ivan)).nextPageToken
  const second = await list(ivan, token)
  assert.deepEqual(second.items.map((i) => i.productCode), ['P0000011'])
  const oldest = await prisma.agreement.findFirstOrThrow({ where: { userId: ivan.userId, productCode: 'P0000010' } })

  const forged: Record<string, string> = {
    'an out-of-range plain cursor': 'c1.9223372036854775808.1',
    'the same in base64url': base64url('c1.9223372036854775808.1'),
    'a page token of the old plain form, for a real row': base64url(oldest.id),
    "another user's token": (await list(june)).nextPageToken,
  }
  for (const [label, pageToken] of Object.entries(forged)) assert.equal(await invalidField(list(ivan, pageToken)), 'code 10 pageToken', label)
  for (const pageToken of [...truncationsOf(token), ...oneCharacterEdits(token)]) {
    assert.equal(await invalidField(list(ivan, pageToken)), 'code 10 pageToken', pageToken)
  }
  // issued for another arrangement type or tenant: refused before the type is even looked up
  assert.equal(await invalidField(list(ivan, token, 'Free')), 'code 10 pageToken')
  assert.equal(await invalidField(list({ ...ivan, tenantId: OTHER_TENANT.tenantId }, token)), 'code 10 pageToken')
  // nothing changed: the token handed out still gives the same page
  assert.deepEqual(await list(ivan, token), second)
})

test('any string as a page token answers a page or 10 naming pageToken, never anything else', async () => {
  const kate = await actorFor(await createUser('kate@example.com'))
  for (const code of ['P0000020', 'P0000021']) await openAgreement(kate, target(kate, code))
  const list = (pageToken: string) => listAgreements(kate, { arrangementType: 'Deduction', userId: kate.userId, pageSize: 1, pageToken })
  const real = (await list('')).nextPageToken
  await fc.assert(
    fc.asyncProperty(cursorLike(real), async (pageToken) => {
      assert.equal(await invalidField(list(pageToken)), pageToken === '' || pageToken === real ? 'answered' : 'code 10 pageToken')
    }),
    { numRuns: 400 },
  )
})
