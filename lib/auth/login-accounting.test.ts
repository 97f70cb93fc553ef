import '@/lib/testing/fresh-database'
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { closeDatabase } from '@/lib/db'
import { login, loginWeb } from '@/lib/auth/login'
import { metrics } from '@/lib/observability/metrics'
import { createUser, TEST_PASSWORD, resultCode } from '@/lib/testing/fixtures'

// Every door's login is counted by the one login function: the API's (JSON and gRPC share
// it), the login form's, the demo's. A door that counted again would count twice.

const client = { userAgent: 'curl/8.5.0', ip: '10.7.0.1' }

async function count(code: string): Promise<number> {
  const { values } = await metrics.loginOutcomes.get()
  return values.find((v) => v.labels.code === code)?.value ?? 0
}

before(async () => {
  await createUser('erin@example.com')
})
after(closeDatabase)

test('an API login and a browser login are each counted once, by their result code', async () => {
  const [ok, wrong, unknown, invalid] = await Promise.all(['00', '02', '01', '10'].map(count))
  await login({ loginKey: 'erin@example.com', password: TEST_PASSWORD, client })
  await loginWeb({ loginKey: 'erin@example.com', password: TEST_PASSWORD, client })
  assert.equal(await resultCode(loginWeb({ loginKey: 'erin@example.com', password: 'not it', client })), '02')
  assert.equal(await resultCode(login({ loginKey: 'nobody@example.com', password: 'not it', client })), '01')
  assert.equal(await resultCode(loginWeb({ loginKey: 'not an e-mail', password: 'x', client })), '10')
  assert.deepEqual(await Promise.all(['00', '02', '01', '10'].map(count)), [ok + 2, wrong + 1, unknown + 1, invalid + 1])
})
