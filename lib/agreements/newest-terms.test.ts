import '@/lib/testing/fresh-database'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { prisma, closeDatabase } from '@/lib/db'
import { config } from '@/lib/config'
import { DomainError } from '@/lib/errors'
import { openAgreement } from '@/lib/agreements/open-agreement'
import { actorFor, createCatalogue, createUser } from '@/lib/testing/fixtures'
import type { Actor } from '@/lib/auth/actor'

// Opening checks the values against the terms this process last read for the type and
// sends them with its one statement, which writes only if they are still the newest in
// force with the same terms. These are the cases where they are not.

let henry: Actor
const toll = (productCode: string, propertyValues: Record<string, string>) => ({ arrangementType: 'Toll', productCode, userId: henry.userId, propertyValues })
const term = (key: string) => ({ key, label: { zh: key, en: key }, type: 'text', maxLength: 8, required: true, changeable: true })
const arrangement = (number: string, version: string, key: string) =>
  prisma.arrangement.create({
    data: { tenantId: config().FC_TENANT_ID, number, name: `通行费合约 ${version}`, version, type: 'Toll', status: '2', properties: JSON.stringify({ version: 1, properties: [term(key)] }) },
  })
const openedUnder = async (productCode: string) =>
  (await prisma.agreement.findFirst({ where: { userId: henry.userId, productCode } }))?.arrangementNo ?? null

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
  await createCatalogue(2)
  await arrangement('T1', '1', 'plate')
  henry = await actorFor(await createUser('henry@example.com'))
})
after(closeDatabase)

test('a newer version in force since the terms were read: the values are checked against its terms, and it is the one opened', async () => {
  assert.deepEqual(await refusal(openAgreement(henry, toll('00000001', { plate: 'AB12345' }))), ['00', undefined])
  assert.equal(await openedUnder('00000001'), 'T1')
  await arrangement('T2', '2', 'tag')
  // the values fit the terms read before, not the ones in force now: 10, nothing written
  assert.deepEqual(await refusal(openAgreement(henry, toll('00000002', { plate: 'AB12345' }))), ['10', 'propertyValues.plate'])
  assert.equal(await openedUnder('00000002'), null)
  assert.deepEqual(await refusal(openAgreement(henry, toll('00000002', { tag: 'X1' }))), ['00', undefined])
  assert.equal(await openedUnder('00000002'), 'T2')
})

test('the terms of the version in force changed in place: the open is checked against them as they are now', async () => {
  await prisma.arrangement.updateMany({ where: { number: 'T2' }, data: { properties: JSON.stringify({ version: 1, properties: [term('card')] }) } })
  assert.deepEqual(await refusal(openAgreement(henry, toll('P0000000', { tag: 'X1' }))), ['10', 'propertyValues.tag'])
  assert.deepEqual(await refusal(openAgreement(henry, toll('P0000000', { card: 'C1' }))), ['00', undefined])
})

test('no version in force any more: 15, whatever was read before', async () => {
  await prisma.arrangement.updateMany({ where: { type: 'Toll' }, data: { status: '3' } })
  assert.deepEqual(await refusal(openAgreement(henry, toll('P0000001', { card: 'C1' }))), ['15', undefined])
  assert.equal(await openedUnder('P0000001'), null)
})
