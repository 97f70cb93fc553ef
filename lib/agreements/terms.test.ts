import '@/lib/testing/fresh-database'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { prisma, closeDatabase } from '@/lib/db'
import { config } from '@/lib/config'
import { DomainError } from '@/lib/errors'
import { openAgreement } from '@/lib/agreements/open-agreement'
import { closeAgreement } from '@/lib/agreements/close-agreement'
import { changeAgreement } from '@/lib/agreements/change-agreement'
import { getAgreement } from '@/lib/agreements/get-agreement'
import { listCatalogue } from '@/lib/agreements/list-catalogue'
import { maskValue } from '@/lib/agreements/term-display'
import { actorFor, createCatalogue, createUser, resultCode } from '@/lib/testing/fixtures'
import type { Actor } from '@/lib/auth/actor'

let alice: Actor
let bob: Actor
const target = (actor: Actor, productCode = '00000001', arrangementType = 'Deduction') => ({ arrangementType, productCode, userId: actor.userId })
const agreementsOf = (actor: Actor) => prisma.agreement.findMany({ where: { userId: actor.userId } })
const events = (actor: Actor) => prisma.agreementEvent.findMany({ where: { userId: actor.userId }, orderBy: { id: 'asc' } })

/** The code and the field a call is refused with. */
async function refusal(promise: Promise<unknown>): Promise<[string, string | undefined]> {
  try {
    await promise
    return ['00', undefined]
  } catch (error) {
    if (error instanceof DomainError) return [error.code, error.detail?.field]
    throw error
  }
}

before(async () => {
  await createCatalogue()
  // a second kind of arrangement with a required term that has no default
  await prisma.arrangement.create({
    data: {
      tenantId: config().FC_TENANT_ID, number: 'P1', name: '停车扣费合约', version: '1', type: 'Parking', status: '2',
      properties: JSON.stringify({
        version: 1,
        properties: [{ key: 'plate', label: { zh: '车牌号', en: 'Plate' }, type: 'text', maxLength: 8, required: true, changeable: true }],
      }),
    },
  })
  alice = await actorFor(await createUser('alice@example.com'))
  bob = await actorFor(await createUser('bob@example.com'))
})
after(closeDatabase)

test('opening without values applies the defaults, stores them and records them in the open event', async () => {
  assert.equal(await resultCode(openAgreement(alice, target(alice))), '00')
  const [agreement] = await agreementsOf(alice)
  assert.deepEqual(JSON.parse(agreement.propertyValues ?? ''), { paymentMethod: 'DEFAULT_ORDER' })
  const [event] = await events(alice)
  assert.equal(event.action, 'OPEN')
  assert.deepEqual(JSON.parse(event.propertyValues ?? ''), { paymentMethod: 'DEFAULT_ORDER' })
  await closeAgreement(alice, target(alice))
})

test('opening with values stores them; the detail shows them and the history carries them', async () => {
  const values = { account: ' 13812345678 ', paymentMethod: 'BALANCE_FIRST' }
  assert.equal(await resultCode(openAgreement(bob, { ...target(bob, '00000002'), propertyValues: values })), '00')
  const detail = await getAgreement(bob, { arrangementType: 'Deduction', productCode: '00000002' })
  assert.deepEqual(detail.values, { account: '13812345678', paymentMethod: 'BALANCE_FIRST' })
  assert.deepEqual(detail.arrangement.terms.map((t) => [t.key, t.changeable]), [['account', false], ['paymentMethod', true]])
  assert.deepEqual(detail.history.map((h) => [h.action, h.values]), [['OPEN', { account: '13812345678', paymentMethod: 'BALANCE_FIRST' }]])
  assert.equal(maskValue('13812345678'), '138****5678')
})

test('hostile values are 10 naming the field, and nothing is written', async () => {
  const carol = await actorFor(await createUser('carol@example.com'))
  const cases: [unknown, string][] = [
    [{ colour: 'red' }, 'propertyValues.colour'],
    [{ paymentMethod: 'CREDIT' }, 'propertyValues.paymentMethod'],
    [{ account: 'x'.repeat(2048) }, 'propertyValues.account'],
    [{ account: 'x'.repeat(33) }, 'propertyValues.account'],
    [{ account: 13812345678 }, 'propertyValues.account'],
    [{ account: { nested: { deeper: 'x' } } }, 'propertyValues.account'],
    [{ paymentMethod: ['BALANCE_FIRST'] }, 'propertyValues.paymentMethod'],
    [{ account: 'a\u0000b' }, 'propertyValues.account'],
    [{ ['k'.repeat(2048)]: 'x' }, 'propertyValues'],
    [Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'x'])), 'propertyValues'],
    [['BALANCE_FIRST'], 'propertyValues'],
    ['BALANCE_FIRST', 'propertyValues'],
    [42, 'propertyValues'],
  ]
  for (const [propertyValues, field] of cases) {
    assert.deepEqual(await refusal(openAgreement(carol, { ...target(carol), propertyValues })), ['10', field], JSON.stringify(propertyValues).slice(0, 80))
  }
  // a required term with no default and no value
  assert.deepEqual(await refusal(openAgreement(carol, target(carol, '00000001', 'Parking'))), ['10', 'propertyValues.plate'])
  assert.equal((await agreementsOf(carol)).length, 0)
  assert.equal((await events(carol)).length, 0)
  // the order of checks: an unknown product (14) and arrangement type (15) before the values
  assert.equal(await resultCode(openAgreement(carol, { ...target(carol, '99999999'), propertyValues: { paymentMethod: 'CREDIT' } })), '14')
  assert.equal(await resultCode(openAgreement(carol, { ...target(carol, '00000001', 'Free'), propertyValues: { paymentMethod: 'CREDIT' } })), '15')
  // another type's terms are its own
  assert.equal(await resultCode(openAgreement(carol, { ...target(carol, '00000001', 'Parking'), propertyValues: { plate: '沪A12345' } })), '00')
  assert.deepEqual((await getAgreement(carol, { arrangementType: 'Parking', productCode: '00000001' })).values, { plate: '沪A12345' })
})

test('a change updates a changeable term, keeps the others, and is recorded as a CHANGE event with the new values', async () => {
  const dave = await actorFor(await createUser('dave@example.com'))
  await openAgreement(dave, { ...target(dave), propertyValues: { account: 'M-1001' } })
  assert.equal(await resultCode(changeAgreement(dave, { ...target(dave), propertyValues: { paymentMethod: 'BANK_CARD' } })), '00')
  const detail = await getAgreement(dave, { arrangementType: 'Deduction', productCode: '00000001' })
  assert.deepEqual(detail.values, { account: 'M-1001', paymentMethod: 'BANK_CARD' })
  assert.deepEqual(
    detail.history.map((h) => [h.action, h.values]),
    [
      ['OPEN', { account: 'M-1001', paymentMethod: 'DEFAULT_ORDER' }],
      ['CHANGE', { account: 'M-1001', paymentMethod: 'BANK_CARD' }],
    ],
  )
  const before = (await events(dave)).length
  assert.deepEqual(await refusal(changeAgreement(dave, { ...target(dave), propertyValues: { account: 'M-2002' } })), ['10', 'propertyValues.account'])
  assert.deepEqual(await refusal(changeAgreement(dave, { ...target(dave), propertyValues: { paymentMethod: 'CREDIT' } })), ['10', 'propertyValues.paymentMethod'])
  assert.deepEqual(await refusal(changeAgreement(dave, { ...target(dave), propertyValues: {} })), ['10', 'propertyValues'])
  assert.deepEqual(await refusal(changeAgreement(dave, { ...target(dave), propertyValues: { paymentMethod: { a: 1 } } })), ['10', 'propertyValues.paymentMethod'])
  assert.equal(await resultCode(changeAgreement(dave, { ...target(dave, '00000002'), propertyValues: { paymentMethod: 'BANK_CARD' } })), '17')
  assert.equal(await resultCode(changeAgreement(dave, { ...target(dave, '99999999'), propertyValues: { paymentMethod: 'BANK_CARD' } })), '14')
  assert.equal(await resultCode(changeAgreement(dave, { ...target(dave, '00000001', 'Free'), propertyValues: { paymentMethod: 'BANK_CARD' } })), '15')
  assert.equal(await resultCode(changeAgreement(dave, { ...target(alice), propertyValues: { paymentMethod: 'BANK_CARD' } })), '04')
  assert.equal((await events(dave)).length, before)
  assert.deepEqual(JSON.parse((await agreementsOf(dave))[0].propertyValues ?? ''), { account: 'M-1001', paymentMethod: 'BANK_CARD' })
})

test('a change with an Idempotency-Key is made once; the key with other values is 10', async () => {
  const erin = await actorFor(await createUser('erin@example.com'))
  await openAgreement(erin, target(erin))
  const change = (paymentMethod: string) => changeAgreement(erin, { ...target(erin), propertyValues: { paymentMethod } }, { idempotencyKey: 'change-1' })
  const answers = await Promise.all(Array.from({ length: 4 }, () => resultCode(change('BALANCE_FIRST'))))
  assert.deepEqual(answers, ['00', '00', '00', '00'])
  assert.deepEqual((await events(erin)).map((e) => e.action), ['OPEN', 'CHANGE'])
  assert.equal(await resultCode(change('BANK_CARD')), '10')
  // an open with values and a key replays; the same key with other values is 10
  const open = (paymentMethod: string) => openAgreement(erin, { ...target(erin, '00000002'), propertyValues: { paymentMethod } }, { idempotencyKey: 'open-1' })
  assert.equal(await resultCode(open('BANK_CARD')), '00')
  assert.equal(await resultCode(open('BANK_CARD')), '00')
  assert.equal(await resultCode(open('BALANCE_FIRST')), '10')
})

test('an arrangement whose properties are a legacy list of names opens without values and refuses values', async () => {
  await prisma.arrangement.create({
    data: { tenantId: config().FC_TENANT_ID, number: 'L1', name: '旧合约', version: '1', type: 'Legacy', status: '2', properties: JSON.stringify({ properties: ['开通账号'] }) },
  })
  const frank = await actorFor(await createUser('frank@example.com'))
  assert.equal(await resultCode(openAgreement(frank, target(frank, '00000001', 'Legacy'))), '00')
  assert.deepEqual(await refusal(openAgreement(frank, { ...target(frank, '00000002', 'Legacy'), propertyValues: { account: 'x' } })), ['10', 'propertyValues.account'])
  const catalogue = await listCatalogue(frank, { arrangementType: 'Legacy' })
  assert.deepEqual([catalogue.arrangement.properties, catalogue.arrangement.terms], [['开通账号'], []])
  assert.equal(await resultCode(listCatalogue(frank, { arrangementType: 'Legacy', userId: alice.userId })), '04')
})

test('a new version in force: the open service keeps the version it was opened under; the rest of the type shows the new one', async () => {
  const grace = await actorFor(await createUser('grace@example.com'))
  const parking = (productCode: string) => target(grace, productCode, 'Parking')
  assert.equal(await resultCode(openAgreement(grace, { ...parking('00000001'), propertyValues: { plate: 'AB12345' } })), '00')
  await prisma.arrangement.create({
    data: { tenantId: config().FC_TENANT_ID, number: 'P2', name: '停车扣费合约（新）', version: '2', type: 'Parking', status: '2', properties: null },
  })
  const open = await getAgreement(grace, parking('00000001'))
  assert.deepEqual([open.arrangement.number, open.values], ['P1', { plate: 'AB12345' }])
  assert.ok(open.openedAt)
  assert.deepEqual(open.history.map((h) => [h.action, h.values, h.actorType]), [['OPEN', { plate: 'AB12345' }, 'USER']])
  const other = await getAgreement(grace, parking('00000002'))
  assert.deepEqual([other.arrangement.number, other.openedAt, other.values, other.history], ['P2', null, {}, []])
  const catalogue = await listCatalogue(grace, { arrangementType: 'Parking' })
  assert.equal(catalogue.arrangement.number, 'P2')
  assert.deepEqual(await refusal(getAgreement(grace, parking('99999999'))), ['14', undefined])
  assert.deepEqual(await refusal(getAgreement(grace, target(grace, '00000001', 'Free'))), ['15', undefined])
})
