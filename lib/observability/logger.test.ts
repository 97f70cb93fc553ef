// one database is enough: uses no database
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { VERSION } from '@/lib/observability/build-info'
import { accessLog } from '@/lib/observability/logger'
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

test('an access line masks what the redaction masks, by the same rules, without its path matching', () => {
  const { log, lines } = capturedLogger()
  const access = accessLog(log.child({}, { redact: { paths: [] } }))
  access('info', { call: 'user.User/Login', userId: 'U0000000000000001', loginKey: 'alice@example.com', token: 'y', latencyMs: 1.5 }, 'rpc')
  access('info', { loginKey: 'hunter2', authorization: 'Bearer k.s', idempotencyKey: 'k1' }, 'rpc')
  access('debug', { userId: 'U0000000000000001' }, 'below the level')
  assert.equal(lines.length, 2)
  assert.deepEqual(
    { call: lines[0].call, userId: lines[0].userId, loginKey: lines[0].loginKey, token: lines[0].token, latencyMs: lines[0].latencyMs },
    { call: 'user.User/Login', userId: 'U***01', loginKey: 'a***@example.com', token: '[REDACTED]', latencyMs: 1.5 },
  )
  assert.deepEqual([lines[1].loginKey, lines[1].authorization, lines[1].idempotencyKey], ['***', '[REDACTED]', '[REDACTED]'])
})
