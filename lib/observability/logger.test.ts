// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { VERSION } from '@/lib/observability/build-info'
import { capturedLogger } from '@/lib/testing/captured-logger'

test('a well-formed e-mail keeps its first character and its domain', () => {
  const { log, lines } = capturedLogger()
  log.info({ loginKey: 'alice@example.com', email: 'bob@example.org' }, 'login')
  assert.equal(lines[0].loginKey, 'a***@example.com')
  assert.equal(lines[0].email, 'b***@example.org')
})

test('a login key that is not a well-formed e-mail (a password typed in the wrong field) is masked whole', () => {
  const { log, lines } = capturedLogger()
  const typed = ['Tr0ub4dor&3', 'P@ssw0rd!x', 'hunter2', 'pa ss@example.com', '@example.com', 'correct@horse', 'ab']
  for (const loginKey of typed) log.warn({ event: 'login_failed', loginKey, nested: { email: loginKey } }, 'login refused')
  for (const [i, loginKey] of typed.entries()) {
    assert.equal(lines[i].loginKey, '***', loginKey)
    assert.deepEqual(lines[i].nested, { email: '***' }, loginKey)
  }
})

test('user ids stay recognisable; secrets are censored', () => {
  const { log, lines } = capturedLogger()
  log.info({ userId: 'U0000000000000001', password: 'x', token: 'y' }, 'rpc')
  assert.equal(lines[0].userId, 'U***01')
  assert.equal(lines[0].password, '[REDACTED]')
  assert.equal(lines[0].token, '[REDACTED]')
})

test('every line names the version the process runs', () => {
  const { log, lines } = capturedLogger()
  log.info('one')
  log.child({ component: 'webhooks' }).warn('two')
  for (const line of lines) assert.equal(line.version, VERSION)
})
