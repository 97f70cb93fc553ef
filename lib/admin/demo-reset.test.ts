import '@/lib/testing/fresh-database'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { tsxCommand } from '@/lib/testing/tsx-command'

// a demo database, as `npm run demo:seed` makes it; the reset refuses any other (the last test)
process.env.DEMO_MODE = 'true'
const { config } = await import('@/lib/config')
const { closeDatabase, prisma } = await import('@/lib/db')
const { markOnFirstUse, markProduction } = await import('@/lib/db/database-mark')
const { seed } = await import('@/lib/admin/seed')
const { DEMO_USERS, SEED_ARRANGEMENTS, SEED_PRODUCTS } = await import('@/lib/admin/seed-data')
const { KEPT_TABLES, RESET_TABLES, resetDemo } = await import('@/lib/admin/demo-reset')
const { login, loginWeb } = await import('@/lib/auth/login')
const { verifyCredentials } = await import('@/lib/auth/verify-credentials')
const { openAgreement } = await import('@/lib/agreements/open-agreement')
const { addProduct } = await import('@/lib/admin/add-product')
const { createUser } = await import('@/lib/admin/create-user')
const { disableUser } = await import('@/lib/admin/disable-user')

after(closeDatabase)
assert.equal(await markOnFirstUse('demo:seed'), 'demo')

const tenantId = () => config().FC_TENANT_ID

/** How many rows of the tenant each table holds. */
async function counts() {
  const where = { where: { tenantId: tenantId() } }
  return {
    product: await prisma.product.count(where),
    arrangement: await prisma.arrangement.count(where),
    user: await prisma.user.count(where),
    credential: await prisma.credential.count(where),
    session: await prisma.session.count(where),
    refreshToken: await prisma.refreshToken.count(where),
    loginAttempt: await prisma.loginAttempt.count(where),
    rateLimit: await prisma.rateLimit.count(where),
    agreement: await prisma.agreement.count(where),
    agreementEvent: await prisma.agreementEvent.count(where),
    idempotencyRecord: await prisma.idempotencyRecord.count(where),
  }
}

/** What a demo does to the data: services opened, logins (good and bad), an extra user and product, a disabled demo user, an edited product. */
async function playWithTheDemo() {
  const alice = DEMO_USERS[0]
  const session = await login({ loginKey: alice.email, password: alice.password, client: { userAgent: 'curl/8', ip: '10.0.0.9' } })
  const actor = { tenantId: tenantId(), userId: session.userId, sessionId: session.sessionId, device: 'curl' }
  const target = { arrangementType: 'Deduction', productCode: SEED_PRODUCTS[0].code, userId: session.userId }
  await openAgreement(actor, target, { idempotencyKey: 'demo-reset-test-key' })
  await loginWeb({ loginKey: DEMO_USERS[1].email, password: DEMO_USERS[1].password, client: { userAgent: 'Firefox' } })
  await assert.rejects(verifyCredentials({ loginKey: alice.email, password: 'not-the-password' }, 'web', { ip: '10.0.0.9' }))
  await createUser(prisma, { email: 'dora@example.com', name: 'Dora', password: 'dora-demo-pass' })
  await addProduct(prisma, { code: '00000009', name: '演示加的产品', description: 'added during a demo', orgName: 'demo' })
  await disableUser(prisma, { email: DEMO_USERS[2].email })
  await prisma.product.update({ where: { tenantId_code: { tenantId: tenantId(), code: SEED_PRODUCTS[1].code } }, data: { name: 'renamed in a demo' } })
}

/** Asserts the tenant holds exactly what the seed makes, and the demo accounts sign in with their printed passwords. */
async function assertSeedIsBack() {
  const c = await counts()
  assert.deepEqual(c, {
    product: SEED_PRODUCTS.length,
    arrangement: SEED_ARRANGEMENTS.length,
    user: DEMO_USERS.length,
    credential: DEMO_USERS.length,
    session: 0,
    refreshToken: 0,
    loginAttempt: 0,
    rateLimit: 0,
    agreement: 0,
    agreementEvent: 0,
    idempotencyRecord: 0,
  })
  const products = await prisma.product.findMany({ where: { tenantId: tenantId() }, orderBy: { code: 'asc' } })
  assert.deepEqual(
    products.map(({ code, name, orgName, description }) => ({ code, name, orgName, description })),
    SEED_PRODUCTS.map(({ code, name, orgName, description }) => ({ code, name, orgName, description })),
  )
  for (const demo of DEMO_USERS) {
    const { userId } = await verifyCredentials({ loginKey: demo.email, password: demo.password }, 'web', {})
    assert.equal(userId, demo.id)
  }
  // the demo shop is back too, with a merchant of its own that holds the bike product
  const shop = await prisma.demoShop.findUniqueOrThrow({ where: { tenantId: tenantId() } })
  const holder = await prisma.merchantProduct.findFirstOrThrow({ where: { tenantId: tenantId(), productCode: '00000001' } })
  assert.equal(holder.merchantId, shop.merchantId)
}

test('every table of the schema is emptied by the reset, but the database mark', () => {
  const models = [...fs.readFileSync('prisma/schema.prisma', 'utf8').matchAll(/^model (\w+) \{/gm)].map((m) => m[1])
  const camel = models.map((name) => name[0].toLowerCase() + name.slice(1)).sort()
  assert.deepEqual([...RESET_TABLES, ...KEPT_TABLES].sort(), camel)
})

test('after a demo changed things, the reset brings the seed back and removes what the demo added', async () => {
  await seed(prisma, { demoUsers: true })
  await playWithTheDemo()
  const before = await counts()
  for (const table of ['session', 'refreshToken', 'loginAttempt', 'rateLimit', 'agreement', 'agreementEvent', 'idempotencyRecord'] as const) {
    assert.ok(before[table] > 0, `the demo left rows in ${table}`)
  }
  assert.equal(before.user, DEMO_USERS.length + 1)
  assert.equal(before.product, SEED_PRODUCTS.length + 1)

  const report = await resetDemo(prisma)
  assert.equal(report.removed.user, DEMO_USERS.length + 1)
  assert.equal(report.removed.product, SEED_PRODUCTS.length + 1)
  assert.equal(report.removed.session, before.session)
  assert.ok(report.seeded.demoAccounts?.every((a) => a.outcome === 'created' && a.passwordWorks && a.status === '1'))
  await assertSeedIsBack()
})

test('npm run demo:reset does the same from the command line and prints the demo accounts', async () => {
  await playWithTheDemo()
  await closeDatabase() // the command opens the database itself
  const result = spawnSync(...tsxCommand(['scripts/demo-reset.ts']), { env: { ...process.env, DEMO_MODE: 'true' }, encoding: 'utf8', timeout: 120_000 })
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`)
  assert.match(result.stdout, /^Removed \d+ rows of tenant \w+ \(.*session \d+/m)
  for (const demo of DEMO_USERS) assert.match(result.stdout, new RegExp(`${demo.email}\\s+${demo.password}`))
  await assertSeedIsBack()
})

test('on a database not marked demo the command refuses whatever the shell says, names the database, exits non-zero and changes nothing', async () => {
  await playWithTheDemo()
  await markProduction('the test')
  const before = await counts()
  await closeDatabase()
  const shells: Record<string, string | undefined>[] = [
    { DEMO_MODE: 'true' },
    { DEMO_MODE: undefined, NODE_ENV: undefined },
    { DEMO_MODE: 'true', NODE_ENV: 'development' },
    { DEMO_MODE: undefined, NODE_ENV: 'production', AUTH_SECRET: 'x'.repeat(40), DATA_ENCRYPTION_KEY: 'ab'.repeat(32) },
  ]
  const database = process.env.DATABASE_URL ? /PostgreSQL postgresql:\/\// : new RegExp(`the embedded database in ${path.resolve(process.env.PGLITE_DIR ?? '')}`)
  for (const env of shells) {
    const result = spawnSync(...tsxCommand(['scripts/demo-reset.ts']), { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 })
    assert.equal(result.status, 1, `${JSON.stringify(env)}: ${result.stdout}${result.stderr}`)
    assert.match(result.stderr, /^Refused: demo:reset .* is refused: .* is marked production/m)
    assert.match(result.stderr, database)
    assert.equal(result.stdout, '')
  }
  assert.deepEqual(await counts(), before)
})
