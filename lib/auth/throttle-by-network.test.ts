import '@/lib/testing/fresh-database'
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { prisma, closeDatabase } from '@/lib/db'
import { config } from '@/lib/config'
import { login } from '@/lib/auth/login'
import { createUser, TEST_PASSWORD, resultCode } from '@/lib/testing/fixtures'

after(closeDatabase)

const attempt = (loginKey: string, ip: string, password = 'wrong') => resultCode(login({ loginKey, password, client: { userAgent: 'curl/8.5.0', ip } }))

/** Counts the result codes of settled logins. */
async function codesOf(logins: Promise<string>[]): Promise<Record<string, number>> {
  return (await Promise.all(logins)).reduce<Record<string, number>>((count, code) => ({ ...count, [code]: (count[code] ?? 0) + 1 }), {})
}

test('60 attempts from 60 addresses of one IPv6 /64 share one counter: the rest after the per-address limit are 05', async () => {
  const perAddress = config().LOGIN_MAX_FAILURES * 10
  const codes = await codesOf(Array.from({ length: 60 }, (_, i) => attempt(`walker${i}@example.com`, `2001:db8:1:2:${(i + 1).toString(16)}::${i + 7}`)))
  assert.deepEqual(codes, { '01': perAddress, '05': 60 - perAddress })
  // another /64 of the same /48 is another subscriber
  assert.equal(await attempt('walker0@example.com', '2001:db8:1:3::1'), '01')
  // each attempt keeps the address it came from
  const recorded = await prisma.loginAttempt.findMany({ where: { ipAddress: { startsWith: '2001:db8:1:2:' } }, select: { ipAddress: true } })
  assert.equal(new Set(recorded.map((r) => r.ipAddress)).size, 60)
})

test('IPv4 addresses are counted one by one, and an IPv4-mapped IPv6 address as its IPv4 address', async () => {
  const perAddress = config().LOGIN_MAX_FAILURES * 10
  const codes = await codesOf(Array.from({ length: perAddress }, (_, i) => attempt(`mapped${i}@example.com`, i % 2 ? '198.51.100.20' : '::ffff:198.51.100.20')))
  assert.deepEqual(codes, { '01': perAddress })
  assert.equal(await attempt('mapped-last@example.com', '::ffff:c633:6414'), '05')
  assert.equal(await attempt('mapped-last@example.com', '198.51.100.21'), '01')
})

test('the per-account limit is unchanged: five failures from five networks block the account everywhere', async () => {
  await createUser('erin@example.com')
  for (let i = 0; i < config().LOGIN_MAX_FAILURES; i++) assert.equal(await attempt('erin@example.com', `2001:db8:${i + 10}::1`), '02')
  assert.equal(await attempt('erin@example.com', '2001:db8:99::1', TEST_PASSWORD), '05')
})
