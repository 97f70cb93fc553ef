import '@/lib/testing/fresh-database'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createClient, createRouterTransport } from '@connectrpc/connect'
import { prisma, closeDatabase } from '@/lib/db'
import { config } from '@/lib/config'
import { login } from '@/lib/auth/login'
import { authenticateToken } from '@/lib/auth/authenticate-token'
import { getDevices } from '@/lib/auth/devices'
import { describeDevice } from '@/lib/auth/client-info'
import { User } from '@/lib/gen/user_pb'
import { routes } from '@/lib/rpc/routes'
import { createUser, TEST_PASSWORD, resultCode } from '@/lib/testing/fixtures'

const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
const EDGE_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91'
// what anyone who knows the e-mail address can send as their User-Agent
const SCAM = 'Call +1 555 0100 to unlock your account/1.0 (your account is locked)'

let aliceId: string
before(async () => {
  aliceId = await createUser('alice@example.com')
})
after(closeDatabase)

test('describeDevice names only browsers and systems the parser knows, never the header text', () => {
  assert.equal(describeDevice(CHROME_LINUX), 'Chrome 156 · Linux')
  assert.equal(describeDevice(IPHONE), 'Safari 17 · iOS 17.5')
  assert.equal(describeDevice(EDGE_WINDOWS), 'Microsoft Edge 120 · Windows 10')
  for (const text of [SCAM, 'curl/8.5.0', 'Call 555 0100 Browser/1.0', 'Mozilla/5.0 (Call 555 0100) Gecko/1', '\u0000\u001b[31m', '', undefined]) {
    assert.equal(describeDevice(text), 'Unknown device', String(text))
  }
  // a known system with an unknown browser: the system alone
  assert.equal(describeDevice('Call 555 0100 to unlock/1.0 (Linux x86_64)'), 'Linux')
  // a header of any length is cut before it is parsed; the answer stays short
  const long = `${CHROME_LINUX} ${'x'.repeat(100_000)}`
  assert.equal(describeDevice(long), 'Chrome 156 · Linux')
  assert.ok(describeDevice(`Mozilla/5.0 ${'Call 555 0100 '.repeat(1000)}`).length <= 100)
})

test("a failed login's User-Agent text never reaches the devices page or QuerySessions", async () => {
  assert.equal(await resultCode(login({ loginKey: 'alice@example.com', password: 'wrong password', client: { userAgent: SCAM, ip: '10.9.0.1' } })), '02')
  // a row written before names were checked, holding the header text itself
  await prisma.loginAttempt.create({
    data: { tenantId: config().FC_TENANT_ID, userId: aliceId, channel: 'web', outcome: 'WRONG_PASSWORD', device: SCAM.slice(0, 255), createdAt: new Date(Date.now() - 60_000) },
  })
  const session = await login({ loginKey: 'alice@example.com', password: TEST_PASSWORD, client: { userAgent: CHROME_LINUX, ip: '10.9.0.2' } })

  const devices = await getDevices(await authenticateToken(session.token))
  assert.equal(devices.current.device, 'Chrome 156 · Linux')
  assert.deepEqual(
    devices.recent.map((r) => [r.outcome, r.device]),
    [['SUCCESS', 'Chrome 156 · Linux'], ['WRONG_PASSWORD', null], ['WRONG_PASSWORD', null]],
  )

  const users = createClient(User, createRouterTransport(routes))
  for (const [language, unknown] of [['en', 'Unknown browser'], ['zh-CN', '未知浏览器']] as const) {
    const answer = await users.querySessions({ token: session.token }, { headers: { 'accept-language': language } })
    assert.equal(answer.code, '00')
    assert.deepEqual(answer.recent.map((r) => r.device), ['Chrome 156 · Linux', unknown, unknown])
    assert.doesNotMatch(JSON.stringify(answer), /555|unlock/)
  }
})
