import '@/lib/testing/fresh-database'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'

// demo mode on for this process (on PostgreSQL it is off unless asked for); the refusal outside it runs in a child
process.env.DEMO_MODE = 'true'
const { config } = await import('@/lib/config')
const { closeDatabase, prisma } = await import('@/lib/db')
const { seed } = await import('@/lib/admin/seed')
const { DEMO_USERS } = await import('@/lib/admin/seed-data')
const { loginWeb } = await import('@/lib/auth/login')
const { checkSession, findSessionById } = await import('@/lib/auth/sessions')
const { DemoRefusedError, signInFromAnotherDevice } = await import('@/lib/demo/sign-in-elsewhere')
const { DomainError } = await import('@/lib/errors')
const { markOnFirstUse, markProduction, NotDemoDatabaseError } = await import('@/lib/db/database-mark')

after(closeDatabase)
// a demo database, as `npm run demo:seed` makes it (the last test turns it production)
await markOnFirstUse('demo:seed')
await seed(prisma, { demoUsers: true })
const [alice, bob] = DEMO_USERS

test('a simulated phone login ends the browser session as a login elsewhere, naming the phone, and is logged like any login', async () => {
  const browser = await loginWeb({ loginKey: alice.email, password: alice.password, client: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36' } })
  const done = await signInFromAnotherDevice({ loginKey: alice.email, phone: 'HUAWEI Mate 70 · 微信', ip: '10.1.2.3' })
  assert.equal(done.userId, alice.id)

  const check = await checkSession(await findSessionById(browser.id))
  assert.equal(check.ok, false)
  assert.ok(!check.ok && check.problem.kind === 'ended')
  assert.equal(check.problem.reason, 'REPLACED')
  assert.equal(check.problem.replacedBy?.device, 'HUAWEI Mate 70 · 微信')

  const phone = await prisma.session.findUniqueOrThrow({ where: { tenantId_id: { tenantId: config().FC_TENANT_ID, id: done.sessionId } } })
  assert.deepEqual([phone.channel, phone.device, phone.liveUserId, phone.ipAddress], ['api', 'HUAWEI Mate 70 · 微信', alice.id, '10.1.2.3'])
  const attempt = await prisma.loginAttempt.findFirstOrThrow({ where: { sessionId: done.sessionId } })
  assert.deepEqual([attempt.outcome, attempt.device, attempt.userId], ['SUCCESS', 'HUAWEI Mate 70 · 微信', alice.id])
})

test('a name that is not one of the demo phones is refused (10) and changes nothing', async () => {
  const browser = await loginWeb({ loginKey: bob.email, password: bob.password, client: {} })
  const attempts = await prisma.loginAttempt.count()
  for (const phone of ['Nokia 3310', '', undefined, 42, 'iPhone 16 · 微信 ']) {
    await assert.rejects(signInFromAnotherDevice({ loginKey: bob.email, phone }), (error: unknown) => {
      assert.ok(error instanceof DomainError)
      assert.equal(error.code, '10')
      assert.equal(error.detail?.field, 'device')
      return true
    })
  }
  assert.equal(await prisma.loginAttempt.count(), attempts)
  assert.equal((await checkSession(await findSessionById(browser.id))).ok, true)
})

test('an account that is not a demo account is refused and nothing is recorded', async () => {
  const attempts = await prisma.loginAttempt.count()
  await assert.rejects(signInFromAnotherDevice({ loginKey: 'dora@example.com', phone: 'iPhone 16 · 微信' }), (error: unknown) => {
    assert.ok(error instanceof DemoRefusedError)
    assert.equal(error.reason, 'notDemoAccount')
    return true
  })
  assert.equal(await prisma.loginAttempt.count(), attempts)
})

test('outside demo mode it is refused before anything is read or written', () => {
  const script = `
    const { signInFromAnotherDevice } = await import(${JSON.stringify(path.resolve('lib/demo/sign-in-elsewhere.ts'))})
    try { await signInFromAnotherDevice({ loginKey: 'alice@example.com', phone: 'iPhone 16 · 微信' }); console.log('signed in') }
    catch (error) { console.log(error.name, error.reason) }
    process.exit(0)`
  // a database nobody listens on: a refusal that touched it would fail otherwise
  const env = { ...process.env, DEMO_MODE: 'false', DATABASE_URL: 'postgresql://nobody:nothing@127.0.0.1:1/none' }
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env, encoding: 'utf8', timeout: 60_000 })
  assert.equal(result.status, 0, result.stderr)
  assert.equal(result.stdout.trim(), 'DemoRefusedError demoModeOff')
})

test('on a database not marked demo it is refused, even in demo mode, and nothing is recorded', async () => {
  const browser = await loginWeb({ loginKey: bob.email, password: bob.password, client: {} })
  await markProduction('the test')
  const attempts = await prisma.loginAttempt.count()
  await assert.rejects(signInFromAnotherDevice({ loginKey: bob.email, phone: 'iPhone 16 · 微信' }), (error: unknown) => {
    assert.ok(error instanceof NotDemoDatabaseError, String(error))
    assert.match(error.message, /is marked production/)
    return true
  })
  assert.equal(await prisma.loginAttempt.count(), attempts)
  assert.equal((await checkSession(await findSessionById(browser.id))).ok, true)
})
