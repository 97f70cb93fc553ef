import '@/lib/testing/fresh-database'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { prisma, closeDatabase } from '@/lib/db'
import { config } from '@/lib/config'
import { DomainError } from '@/lib/errors'
import { login } from '@/lib/auth/login'
import { authenticateToken } from '@/lib/auth/authenticate-token'
import { logout } from '@/lib/auth/logout'
import { refreshSession } from '@/lib/auth/refresh-session'
import { createUser, TEST_PASSWORD, resultCode } from '@/lib/testing/fixtures'

const client = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36', ip: '127.0.0.1' }
const loginAs = (loginKey: string, password = TEST_PASSWORD, ip = client.ip) => login({ loginKey, password, client: { ...client, ip } })

let aliceId: string
before(async () => {
  aliceId = await createUser('alice@example.com')
  await createUser('bob@example.com')
})
after(closeDatabase)

test('the login cases: unknown user 01, wrong password 02, right password 00 with a token', async () => {
  assert.equal(await resultCode(loginAs('nobody@example.com')), '01')
  assert.equal(await resultCode(loginAs('alice@example.com', 'wrong password')), '02')
  const ok = await loginAs('ALICE@example.com')
  assert.equal(ok.userId, aliceId)
  assert.match(ok.token, /^fca_/)
  assert.ok(ok.expireTime > new Date())
  assert.equal((await authenticateToken(ok.token)).userId, aliceId)
})

test('two logins of one account: the first token is refused (03); two accounts do not affect each other', async () => {
  const first = await loginAs('alice@example.com')
  const bob = await loginAs('bob@example.com')
  const second = await loginAs('alice@example.com')
  assert.equal(await resultCode(authenticateToken(first.token)), '03')
  assert.equal((await authenticateToken(second.token)).userId, aliceId)
  assert.ok(await authenticateToken(bob.token))
})

test('bad login fields are 10', async () => {
  assert.equal(await resultCode(login({ loginKey: 'not-an-email', password: 'x', client })), '10')
  assert.equal(await resultCode(login({ loginKey: 'alice@example.com', password: '', client })), '10')
  assert.equal(await resultCode(login({ loginKey: { $ne: 1 }, password: 'x', client })), '10')
})

test('refresh rotates; a spent refresh token coming back ends the session', async () => {
  const first = await loginAs('alice@example.com')
  const next = await refreshSession(first.refreshToken, client)
  assert.notEqual(next.token, first.token)
  assert.equal(await resultCode(authenticateToken(first.token)), '03')
  assert.ok(await authenticateToken(next.token))
  assert.equal(await resultCode(refreshSession(first.refreshToken, client)), '03')
  assert.equal(await resultCode(authenticateToken(next.token)), '03')
  assert.equal(await resultCode(refreshSession(next.refreshToken, client)), '03')
})

test('a refresh token is not an access token, and an access token is not a refresh token', async () => {
  const s = await loginAs('alice@example.com')
  assert.equal(await resultCode(authenticateToken(s.refreshToken)), '03')
  assert.equal(await resultCode(refreshSession(s.token, client)), '03')
})

test('logout ends the session; expired and forged tokens are 03', async () => {
  const s = await loginAs('alice@example.com')
  await logout(s.token)
  assert.equal(await resultCode(authenticateToken(s.token)), '03')
  const t = await loginAs('alice@example.com')
  await prisma.session.updateMany({ where: { userId: aliceId, liveUserId: aliceId }, data: { tokenExpiresAt: new Date(Date.now() - 1000) } })
  assert.equal(await resultCode(authenticateToken(t.token)), '03')
  assert.equal(await resultCode(authenticateToken('fca_' + 'A'.repeat(43))), '03')
  assert.equal(await resultCode(authenticateToken('%%')), '03')
  assert.equal(await resultCode(authenticateToken(undefined)), '03')
})

test('idle and absolute timeouts end a session', async () => {
  const s = await loginAs('alice@example.com')
  await prisma.session.updateMany({ where: { liveUserId: aliceId }, data: { idleExpiresAt: new Date(Date.now() - 1) } })
  assert.equal(await resultCode(authenticateToken(s.token)), '03')
  const row = await prisma.session.findFirst({ where: { userId: aliceId }, orderBy: { createdAt: 'desc' } })
  assert.equal(row?.endReason, 'IDLE_TIMEOUT')
})

test('20 concurrent logins of one user: exactly one token works, one live session row', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, () => loginAs('bob@example.com')))
  const working = await Promise.all(results.map((r) => resultCode(authenticateToken(r.token))))
  assert.equal(working.filter((c) => c === '00').length, 1)
  const bobId = results[0].userId
  assert.equal(await prisma.session.count({ where: { userId: bobId, liveUserId: { not: null } } }), 1)
})

test('repeated failures are throttled with 05 and a retry time, unknown accounts alike', async () => {
  await createUser('carol@example.com')
  for (let i = 0; i < 5; i++) assert.equal(await resultCode(loginAs('carol@example.com', 'wrong', '10.0.0.1')), '02')
  const blocked = await loginAs('carol@example.com', TEST_PASSWORD, '10.0.0.2').catch((e: unknown) => e)
  assert.ok(blocked instanceof DomainError && blocked.code === '05' && (blocked.detail?.retryAfterSeconds ?? 0) > 0)
  for (let i = 0; i < 5; i++) assert.equal(await resultCode(loginAs('ghost@example.com', 'wrong', '10.0.0.3')), '01')
  assert.equal(await resultCode(loginAs('ghost@example.com', 'wrong', '10.0.0.4')), '05')
})

/** Counts the result codes of settled logins; anything but a DomainError fails the test. */
async function codesOf(logins: Promise<unknown>[]): Promise<Record<string, number>> {
  const codes = await Promise.all(logins.map((l) => resultCode(l)))
  return codes.reduce<Record<string, number>>((count, code) => ({ ...count, [code]: (count[code] ?? 0) + 1 }), {})
}

test('40 wrong passwords for one account at once: at most LOGIN_MAX_FAILURES are checked (02), the rest 05', async () => {
  await createUser('dave@example.com')
  const codes = await codesOf(Array.from({ length: 40 }, () => loginAs('dave@example.com', 'wrong', '10.0.1.1')))
  console.log(`40 parallel wrong passwords: ${JSON.stringify(codes)}`)
  assert.deepEqual(codes, { '02': config().LOGIN_MAX_FAILURES, '05': 40 - config().LOGIN_MAX_FAILURES })
})

test('60 unknown accounts at once from one address: at most 10 × LOGIN_MAX_FAILURES are checked (01), the rest 05', async () => {
  const perAddress = config().LOGIN_MAX_FAILURES * 10
  const codes = await codesOf(Array.from({ length: 60 }, (_, i) => loginAs(`stranger${i}@example.com`, 'wrong', '10.0.2.1')))
  console.log(`60 parallel unknown accounts from one address: ${JSON.stringify(codes)}`)
  assert.deepEqual(codes, { '01': perAddress, '05': 60 - perAddress })
})
