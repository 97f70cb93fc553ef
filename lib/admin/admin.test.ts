import '@/lib/testing/fresh-database'
import { randomUUID } from 'node:crypto'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { config } from '@/lib/config'
import { closeDatabase, prisma } from '@/lib/db'
import { verifyPassword } from '@/lib/auth/password'
import { loginWeb } from '@/lib/auth/login'
import { AdminError } from '@/lib/admin/errors'
import { createUser } from '@/lib/admin/create-user'
import { disableUser } from '@/lib/admin/disable-user'
import { addProduct } from '@/lib/admin/add-product'
import { addArrangement } from '@/lib/admin/add-arrangement'
import { listSessions } from '@/lib/admin/list-sessions'
import { revokeSession } from '@/lib/admin/revoke-session'

after(closeDatabase)

const tenantId = () => config().FC_TENANT_ID

/** Asserts that `promise` fails with an AdminError of `kind` whose message matches `message`. */
async function refused(promise: Promise<unknown>, kind: AdminError['kind'], message: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AdminError, `expected an AdminError, got ${String(error)}`)
    assert.equal(error.kind, kind)
    assert.match(error.message, message)
    return true
  })
}

async function insertSession(userId: string, live: boolean, createdAt = new Date()) {
  const later = new Date(Date.now() + 3600_000)
  return prisma.session.create({
    data: {
      tenantId: tenantId(),
      id: randomUUID(),
      userId,
      liveUserId: live ? userId : null,
      channel: 'api',
      device: 'curl/8.5 on Linux',
      createdAt,
      lastSeenAt: createdAt,
      idleExpiresAt: later,
      absoluteExpiresAt: later,
      status: live ? 'ACTIVE' : 'ENDED',
      endReason: live ? null : 'LOGOUT',
      endedAt: live ? null : createdAt,
    },
  })
}

test('createUser writes the user and an argon2id credential', async () => {
  const user = await createUser(prisma, { email: '  Erin@Example.COM ', name: ' Erin ', password: 'erin-password' })
  assert.match(user.id, /^U\d{16}$/)
  assert.deepEqual({ ...user, id: undefined }, { id: undefined, email: 'erin@example.com', name: 'Erin', type: 'PERSONAL', status: '1' })

  const row = await prisma.user.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenantId(), id: user.id } } })
  assert.equal(row.status, '1')
  const credential = await prisma.credential.findUniqueOrThrow({
    where: { tenantId_loginKey: { tenantId: tenantId(), loginKey: 'erin@example.com' } },
  })
  assert.equal(credential.userId, user.id)
  assert.ok(credential.passwordHash.startsWith('$argon2id$'), credential.passwordHash)
  const memory = Number(/[$,]m=(\d+)/.exec(credential.passwordHash)?.[1])
  assert.ok(memory >= 19_456, `argon2 memory cost ${memory} KiB`)
  assert.equal(await verifyPassword(credential.passwordHash, 'erin-password'), true)
  assert.equal(await verifyPassword(credential.passwordHash, 'wrong-password'), false)
})

test('createUser refuses bad input and duplicates, writing nothing', async () => {
  const before = await prisma.user.count()
  await refused(createUser(prisma, { email: 'not-an-email', name: 'X', password: 'long-enough' }), 'invalid', /email: must be an e-mail address/)
  await refused(createUser(prisma, { email: 'x@example.com', name: '', password: 'long-enough' }), 'invalid', /name: is required/)
  await refused(createUser(prisma, { email: 'x@example.com', name: 'X', password: 'short' }), 'invalid', /password: must be at least 8 characters/)
  await refused(
    createUser(prisma, { email: 'x@example.com', name: 'X', type: 'personal', password: 'long-enough' }),
    'invalid',
    /type: must be upper-case/,
  )
  await refused(createUser(prisma, {} as Parameters<typeof createUser>[1]), 'invalid', /email: is required.*name: is required.*password: is required/)
  assert.equal(await prisma.user.count(), before)

  await createUser(prisma, { email: 'frank@example.com', name: 'Frank', password: 'frank-password' })
  await refused(
    createUser(prisma, { email: 'FRANK@example.com', name: 'Frank 2', password: 'frank-password' }),
    'conflict',
    /a user with e-mail frank@example.com already exists/,
  )
  assert.equal(await prisma.user.count(), before + 1)
})

test('one password rule for every door: whatever the admin sets, login accepts', async () => {
  // 256 characters counted as PostgreSQL and login count them (512 UTF-16 units)
  const longest = '\u{1F511}'.repeat(256)
  await refused(createUser(prisma, { email: 'too-long@example.com', name: 'X', password: 'p'.repeat(257) }), 'invalid', /password: must be at most 256 characters/)
  await refused(createUser(prisma, { email: 'too-long@example.com', name: 'X', password: 'p'.repeat(1024) }), 'invalid', /password: must be at most 256 characters/)
  await refused(createUser(prisma, { email: 'nul@example.com', name: 'X', password: 'nul\u0000password' }), 'invalid', /password: must not contain NUL/)
  const user = await createUser(prisma, { email: 'longest@example.com', name: 'Longest', password: longest })
  const session = await loginWeb({ loginKey: 'longest@example.com', password: longest, client: { userAgent: 'admin-test' } })
  assert.equal(session.userId, user.id)
})

test('a refused password is never part of the message', async () => {
  const secret = 'sh0rt'
  await assert.rejects(createUser(prisma, { email: 'y@example.com', name: 'Y', password: secret }), (error: Error) => {
    assert.ok(!error.message.includes(secret))
    return true
  })
})

test('disableUser sets status 2 and revokes the live session only', async () => {
  const user = await createUser(prisma, { email: 'gina@example.com', name: 'Gina', password: 'gina-password' })
  const old = await insertSession(user.id, false, new Date(Date.now() - 60_000))
  const live = await insertSession(user.id, true)

  const result = await disableUser(prisma, { email: 'gina@example.com' })
  assert.deepEqual(
    { status: result.user.status, alreadyDisabled: result.alreadyDisabled, sessionsEnded: result.sessionsEnded },
    { status: '2', alreadyDisabled: false, sessionsEnded: 1 },
  )
  const row = await prisma.user.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenantId(), id: user.id } } })
  assert.equal(row.status, '2')

  const ended = await prisma.session.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenantId(), id: live.id } } })
  assert.equal(ended.status, 'REVOKED')
  assert.equal(ended.endReason, 'ADMIN')
  assert.equal(ended.liveUserId, null)
  assert.ok(ended.endedAt instanceof Date)
  const untouched = await prisma.session.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenantId(), id: old.id } } })
  assert.deepEqual(untouched, old)

  const again = await disableUser(prisma, { userId: user.id })
  assert.equal(again.alreadyDisabled, true)
  assert.equal(again.sessionsEnded, 0)

  await refused(disableUser(prisma, { email: 'nobody@example.com' }), 'not-found', /no user with e-mail nobody@example.com/)
  await refused(disableUser(prisma, { userId: 'U9999999999999999' }), 'not-found', /no user with id U9999999999999999/)
  await refused(disableUser(prisma, {}), 'invalid', /give either an e-mail or a user id/)
})

test('listSessions lists newest first and revokeSession ends one session', async () => {
  const user = await createUser(prisma, { email: 'hank@example.com', name: 'Hank', password: 'hank-password' })
  const first = await insertSession(user.id, false, new Date(Date.now() - 120_000))
  const second = await insertSession(user.id, true, new Date(Date.now() - 60_000))

  const listed = await listSessions(prisma, { email: 'HANK@example.com' })
  assert.equal(listed.user.id, user.id)
  assert.equal(listed.user.email, 'hank@example.com')
  assert.deepEqual(listed.sessions.map((s) => [s.id, s.live]), [[second.id, true], [first.id, false]])
  assert.equal(listed.sessions[0].channel, 'api')
  assert.equal(listed.sessions[0].device, 'curl/8.5 on Linux')
  assert.equal(listed.sessions[1].endReason, 'LOGOUT')
  assert.deepEqual((await listSessions(prisma, { userId: user.id })).sessions, listed.sessions)

  const revoked = await revokeSession(prisma, { id: second.id })
  assert.deepEqual({ revoked: revoked.revoked, status: revoked.status, endReason: revoked.endReason }, { revoked: true, status: 'REVOKED', endReason: 'ADMIN' })
  const row = await prisma.session.findUniqueOrThrow({ where: { tenantId_id: { tenantId: tenantId(), id: second.id } } })
  assert.equal(row.liveUserId, null)

  // an ended session keeps the reason it ended with
  const ended = await revokeSession(prisma, { id: first.id })
  assert.deepEqual({ revoked: ended.revoked, status: ended.status, endReason: ended.endReason }, { revoked: false, status: 'ENDED', endReason: 'LOGOUT' })

  await refused(revokeSession(prisma, { id: randomUUID() }), 'not-found', /no session with id/)
  await refused(revokeSession(prisma, { id: '' }), 'invalid', /id: is required/)
  await refused(listSessions(prisma, { email: 'nobody@example.com' }), 'not-found', /no user/)
  await refused(listSessions(prisma, { email: 'hank@example.com', limit: 0 }), 'invalid', /limit: must be at least 1/)
})

test('addProduct adds a product scoped to the tenant and refuses duplicates', async () => {
  const product = { code: 'P-0001', name: '测试产品', description: '测试描述', orgName: '测试机构' }
  assert.deepEqual(await addProduct(prisma, product), product)
  const row = await prisma.product.findUniqueOrThrow({ where: { tenantId_code: { tenantId: tenantId(), code: 'P-0001' } } })
  assert.deepEqual({ code: row.code, name: row.name, description: row.description, orgName: row.orgName }, product)

  await refused(addProduct(prisma, product), 'conflict', /product P-0001 already exists/)
  await refused(addProduct(prisma, { ...product, code: 'x'.repeat(33) }), 'invalid', /code: must be at most 32 characters/)
  await refused(addProduct(prisma, { ...product, code: 'a b' }), 'invalid', /code: may contain only letters, digits/)
  await refused(addProduct(prisma, { ...product, code: 'P2', description: 'd'.repeat(2049) }), 'invalid', /description: must be at most 2048 characters/)
  await refused(addProduct(prisma, { ...product, code: 'P2', orgName: '  ' }), 'invalid', /orgName: is required/)
})

test('addArrangement adds an arrangement, in force unless told otherwise', async () => {
  const added = await addArrangement(prisma, { number: 'A1', name: '免费合约', version: '1.0', type: 'Free' })
  assert.equal(added.status, '2')
  const row = await prisma.arrangement.findUniqueOrThrow({ where: { tenantId_number: { tenantId: tenantId(), number: 'A1' } } })
  assert.deepEqual(
    { name: row.name, version: row.version, type: row.type, status: row.status, properties: row.properties },
    { name: '免费合约', version: '1.0', type: 'Free', status: '2', properties: null },
  )
  const properties = JSON.stringify({
    version: 1,
    properties: [{ key: 'plate', label: { zh: '车牌号', en: 'Plate' }, type: 'text', maxLength: 10, required: true }],
  })
  await addArrangement(prisma, { number: 'A2', name: 'x', version: '1', type: 'Free', status: '1', properties })
  const second = await prisma.arrangement.findUniqueOrThrow({ where: { tenantId_number: { tenantId: tenantId(), number: 'A2' } } })
  assert.equal(second.status, '1')
  assert.equal(second.properties, properties)

  await refused(addArrangement(prisma, { number: 'A1', name: 'x', version: '1', type: 'Free' }), 'conflict', /arrangement A1 already exists/)
  await refused(addArrangement(prisma, { number: 'A3', name: 'x', version: '1', type: 'Free', status: '6' }), 'invalid', /status: must be 1 \(not yet in force\)/)
  await refused(addArrangement(prisma, { number: 'A3', name: 'x', version: '1', type: 'Free', properties: '开通账号' }), 'invalid', /properties: must be JSON/)
  // the terms' definitions are checked as the app reads them, each problem named
  const bad = (doc: unknown) => addArrangement(prisma, { number: 'A3', name: 'x', version: '1', type: 'Free', properties: JSON.stringify(doc) })
  await refused(bad({ properties: ['开通账号'] }), 'invalid', /properties: version must be 1/)
  const choice = { key: 'pay', label: { zh: '方式', en: 'Way' }, type: 'choice', options: [{ value: 'A', label: { zh: '甲', en: 'A' } }] }
  await refused(bad({ version: 1, properties: [{ ...choice, default: 'B' }] }), 'invalid', /properties\.0\.default must be one of the options/)
  await refused(bad({ version: 1, properties: [choice, choice] }), 'invalid', /properties\.1\.key pay is used twice/)
  await refused(bad({ version: 1, properties: [{ ...choice, type: 'number' }] }), 'invalid', /type must be "text" or "choice"/)
  await refused(bad({ version: 1, properties: [{ ...choice, key: '1 bad' }] }), 'invalid', /properties\.0\.key must start with a letter/)
  await refused(bad({ version: 1, properties: [{ ...choice, extra: true }] }), 'invalid', /properties\.0/)
  assert.equal(await prisma.arrangement.count({ where: { number: 'A3' } }), 0)
  await refused(
    addArrangement(prisma, { number: 'A3', name: 'x', version: '1', type: 'Free', properties: JSON.stringify('x'.repeat(2050)) }),
    'invalid',
    /properties: must be at most 2048 characters/,
  )
})
