import '@/lib/testing/fresh-database'
import { spawnSync } from 'node:child_process'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { tsxCommand } from '@/lib/testing/tsx-command'

// a demo database, as `npm run demo:seed` makes it, which the operator then makes production
process.env.DEMO_MODE = 'true'
const { config } = await import('@/lib/config')
const { closeDatabase, prisma } = await import('@/lib/db')
const { markOnFirstUse, readDatabaseMark } = await import('@/lib/db/database-mark')
const { seed } = await import('@/lib/admin/seed')
const { DEMO_USERS } = await import('@/lib/admin/seed-data')
const { loginWeb } = await import('@/lib/auth/login')
const { hashPassword } = await import('@/lib/auth/password')
const { checkSession, findSessionById } = await import('@/lib/auth/sessions')

after(closeDatabase)
await markOnFirstUse('demo:seed')
await seed(prisma, { demoUsers: true })
const [alice, bob, carol] = DEMO_USERS

/** `npm run admin -- <args>` from a shell without NODE_ENV or DEMO_MODE. */
function admin(args: string[]) {
  // the command opens the database itself
  const shell: Record<string, string | undefined> = { NODE_ENV: undefined, DEMO_MODE: undefined }
  const env = { ...process.env, ...shell }
  const result = spawnSync(...tsxCommand(['scripts/admin.ts', ...args]), { env, encoding: 'utf8', timeout: 120_000 })
  return { status: result.status, out: `${result.stdout}${result.stderr}` }
}

test('database:mark shows the mark; --production turns a demo database into production and disables the demo accounts that still have their public password', async () => {
  const tenantId = config().FC_TENANT_ID
  await prisma.credential.update({
    where: { tenantId_loginKey: { tenantId, loginKey: bob.email } },
    data: { passwordHash: await hashPassword('bob-changed-it-himself') },
  })
  const aliceSession = await loginWeb({ loginKey: alice.email, password: alice.password, client: {} })
  await closeDatabase()

  const shown = admin(['database:mark'])
  assert.equal(shown.status, 0, shown.out)
  assert.match(shown.out, /is marked demo \(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ, by demo:seed\)/)

  const marked = admin(['database:mark', '--production'])
  assert.equal(marked.status, 0, marked.out)
  assert.match(marked.out, /^Marked .+ production \(it was demo\)/m)
  assert.match(marked.out, new RegExp(`Disabled the demo accounts that still had their public password: ${alice.email}, ${carol.email}\\.`))

  assert.equal(await readDatabaseMark(), 'production')
  const users = await prisma.user.findMany({ where: { tenantId, id: { in: [alice.id, bob.id, carol.id] } }, orderBy: { id: 'asc' } })
  assert.deepEqual(users.map((u) => u.status), ['2', '1', '2'])
  assert.equal((await checkSession(await findSessionById(aliceSession.id))).ok, false)
  await closeDatabase()

  const again = admin(['database:mark', '--production'])
  assert.equal(again.status, 0, again.out)
  assert.match(again.out, /was already marked production; nothing changed\./)
  const now = admin(['database:mark'])
  assert.match(now.out, /is marked production \(since .*, by admin database:mark --production\)/)
})

test('database:mark --demo is refused: a production database never becomes demo', async () => {
  await closeDatabase()
  const refused = admin(['database:mark', '--demo'])
  assert.equal(refused.status, 1, refused.out)
  assert.match(refused.out, /^error: .* cannot be marked demo from here/m)
  assert.equal(await readDatabaseMark(), 'production')
})
