import '@/lib/testing/fresh-database'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { config } from '@/lib/config'
import { closeDatabase, prisma, runStatement } from '@/lib/db'
import { markOnFirstUse, NotDemoDatabaseError } from '@/lib/db/database-mark'
import { verifyPassword } from '@/lib/auth/password'
import { seed } from '@/lib/admin/seed'
import { DEDUCTION_TERMS, DEMO_USERS } from '@/lib/admin/seed-data'
import { arrangementProperties } from '@/lib/agreements/arrangement-terms'

after(closeDatabase)

/** Every row the seed may touch, every column included (gmt_modified and hashes too). */
async function snapshot() {
  return {
    products: await prisma.product.findMany({ orderBy: [{ tenantId: 'asc' }, { code: 'asc' }] }),
    arrangements: await prisma.arrangement.findMany({ orderBy: [{ tenantId: 'asc' }, { number: 'asc' }] }),
    users: await prisma.user.findMany({ orderBy: [{ tenantId: 'asc' }, { id: 'asc' }] }),
    credentials: await prisma.credential.findMany({ orderBy: [{ tenantId: 'asc' }, { loginKey: 'asc' }] }),
  }
}

test('the demo users are refused on a database not marked demo, before anything is written', async () => {
  const empty = await snapshot()
  await assert.rejects(seed(prisma), (error: unknown) => error instanceof NotDemoDatabaseError && /demo accounts/.test(error.message))
  assert.deepEqual(await snapshot(), empty)
  // as `npm run demo:seed` marks a new database, for the tests below
  assert.equal(await markOnFirstUse('demo:seed', runStatement, { NODE_ENV: 'test', DEMO_MODE: true }), 'demo')
})

test('seed writes the starting data, and a second run changes nothing', async () => {
  const first = await seed(prisma)
  assert.deepEqual(first.products.map((p) => p.outcome), ['created', 'created'])
  assert.deepEqual(first.arrangements.map((a) => a.outcome), ['created'])
  assert.ok(first.demoAccounts && first.demoAccounts.length >= 2)
  assert.ok(first.demoAccounts.every((a) => a.outcome === 'created' && a.passwordWorks && a.status === '1'))
  const afterFirst = await snapshot()

  const second = await seed(prisma)
  assert.deepEqual(second.products.map((p) => p.outcome), ['unchanged', 'unchanged'])
  assert.deepEqual(second.arrangements.map((a) => a.outcome), ['unchanged'])
  assert.ok(second.demoAccounts?.every((a) => a.outcome === 'existing' && a.passwordWorks))
  assert.deepEqual(await snapshot(), afterFirst)
})

test('the products and the arrangement are exactly the starting ones', async () => {
  const tenantId = config().FC_TENANT_ID
  const products = await prisma.product.findMany({ where: { tenantId }, orderBy: { code: 'asc' } })
  assert.deepEqual(
    products.map(({ code, name, orgName, description, memo }) => ({ code, name, orgName, description, memo })),
    [
      {
        code: '00000001',
        name: '摩拜单车微信免密支付',
        orgName: '摩拜单车',
        description: '用于无余额时支付单车车费, 以及除单车外费用结算时的优先支付方式, 用户无需输入密码, 每日最多扣款20次',
        memo: null,
      },
      {
        code: '00000002',
        name: '上海公共交通微信免密支付',
        orgName: '上海公共交通乘车码',
        description: '刷码后自动通过微信支付扣取实际费用',
        memo: null,
      },
    ],
  )
  const arrangements = await prisma.arrangement.findMany({ where: { tenantId } })
  assert.equal(arrangements.length, 1)
  const [ar] = arrangements
  assert.deepEqual(
    { number: ar.number, name: ar.name, version: ar.version, type: ar.type, status: ar.status },
    { number: '00000001', name: '扣费合约', version: '20200504', type: 'Deduction', status: '2' },
  )
  assert.ok(ar.properties && ar.properties.length <= 2048)
  assert.deepEqual(JSON.parse(ar.properties), DEDUCTION_TERMS)
  assert.deepEqual(arrangementProperties(ar.properties), ['开通账号', '扣款方式'])
})

test('demo users can log in with their printed passwords', async () => {
  const tenantId = config().FC_TENANT_ID
  for (const demo of DEMO_USERS) {
    const credential = await prisma.credential.findUniqueOrThrow({
      where: { tenantId_loginKey: { tenantId, loginKey: demo.email } },
    })
    assert.equal(credential.userId, demo.id)
    assert.ok(credential.passwordHash.startsWith('$argon2id$'))
    assert.equal(await verifyPassword(credential.passwordHash, demo.password), true)
    const user = await prisma.user.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: demo.id } } })
    assert.deepEqual({ name: user.name, type: user.type, status: user.status }, { name: demo.name, type: 'PERSONAL', status: '1' })
  }
})

test('seed puts drifted seed rows back, leaves users alone and reports changed passwords', async () => {
  const tenantId = config().FC_TENANT_ID
  await prisma.product.update({ where: { tenantId_code: { tenantId, code: '00000002' } }, data: { name: 'edited' } })
  const [alice] = DEMO_USERS
  await prisma.user.update({ where: { tenantId_id: { tenantId, id: alice.id } }, data: { status: '2' } })
  await prisma.credential.update({
    where: { tenantId_loginKey: { tenantId, loginKey: alice.email } },
    data: { passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaA' },
  })
  const before = await snapshot()

  const report = await seed(prisma)
  assert.deepEqual(report.products.map((p) => p.outcome), ['unchanged', 'updated'])
  const account = report.demoAccounts?.find((a) => a.email === alice.email)
  assert.deepEqual({ status: account?.status, passwordWorks: account?.passwordWorks }, { status: '2', passwordWorks: false })

  const now = await snapshot()
  assert.equal(now.products[1].name, '上海公共交通微信免密支付')
  assert.deepEqual(now.users, before.users)
  assert.deepEqual(now.credentials, before.credentials)
})

test('without demo users the seed creates none', async () => {
  const report = await seed(prisma, { demoUsers: false })
  assert.equal(report.demoAccounts, null)
})
