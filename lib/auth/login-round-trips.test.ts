import '@/lib/testing/fresh-database'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { logStatements } from '@/lib/testing/statement-log'
import { closeDatabase, prisma } from '@/lib/db'
import { login, loginWeb } from '@/lib/auth/login'
import { endLoginWithoutSession } from '@/lib/db/statements/end-login-without-session'
import { reserveLogin } from '@/lib/db/statements/reserve-login'
import { startLoginSession } from '@/lib/db/statements/start-login-session'
import { DomainError } from '@/lib/errors'
import { createUser, resultCode, TEST_PASSWORD } from '@/lib/testing/fixtures'

// docs/architecture.md#a-login-in-two-statements: a login is one statement before its
// password is checked and one after, with no transaction (and so no connection) held
// across the hash. Counted on the real database, through the client's driver adapter.
const sent = logStatements()
after(closeDatabase)

const client = { userAgent: 'curl/8.5.0', ip: '10.7.0.1' }
const names = new Map([
  [reserveLogin.text.trim(), 'reserve'],
  [startLoginSession.text.trim(), 'start session'],
  [endLoginWithoutSession.text.trim(), 'end without session'],
])
/** The statements sent by `work`, by name (anything else by its text). */
async function statementsOf(work: () => Promise<unknown>): Promise<{ names: string[]; transactions: number }> {
  sent.reset()
  await work().catch((error: unknown) => {
    if (!(error instanceof DomainError)) throw error
  })
  return { names: sent.entries().map((sql) => names.get(sql) ?? sql), transactions: sent.transactions() }
}

let userId: string
before(async () => {
  userId = await createUser('rita@example.com')
})

test('an API login that succeeds is two round trips and no transaction', async () => {
  // the second login also ends the first one's session: still two
  for (const round of [1, 2]) {
    const { names, transactions } = await statementsOf(() => login({ loginKey: 'rita@example.com', password: TEST_PASSWORD, client }))
    assert.deepEqual(names, ['reserve', 'start session'], `round ${round}`)
    assert.equal(transactions, 0)
  }
  const live = await prisma.session.findMany({ where: { userId, liveUserId: { not: null } } })
  assert.equal(live.length, 1)
  assert.equal(await prisma.refreshToken.count({ where: { sessionId: live[0].id } }), 1)
  const attempts = await prisma.loginAttempt.findMany({ where: { userId }, orderBy: { id: 'asc' } })
  assert.deepEqual(attempts.map((a) => [a.outcome, a.sessionId !== null]), [['SUCCESS', true], ['SUCCESS', true]])
})

test('a browser login that succeeds is two round trips and no transaction', async () => {
  const { names, transactions } = await statementsOf(() => loginWeb({ loginKey: 'rita@example.com', password: TEST_PASSWORD, client }))
  assert.deepEqual(names, ['reserve', 'start session'])
  assert.equal(transactions, 0)
})

test('a wrong password and an unknown login key are two round trips each, and are recorded', async () => {
  const wrong = await statementsOf(() => login({ loginKey: 'rita@example.com', password: 'not it', client }))
  assert.deepEqual(wrong, { names: ['reserve', 'end without session'], transactions: 0 })
  const unknown = await statementsOf(() => login({ loginKey: 'nobody@example.com', password: 'not it', client }))
  assert.deepEqual(unknown, { names: ['reserve', 'end without session'], transactions: 0 })
  const outcomes = await prisma.loginAttempt.findMany({ where: { outcome: { not: 'SUCCESS' } }, select: { outcome: true, userId: true } })
  assert.deepEqual(outcomes, [{ outcome: 'WRONG_PASSWORD', userId }, { outcome: 'UNKNOWN_USER', userId: null }])
})

test('bad fields send nothing', async () => {
  assert.deepEqual(await statementsOf(() => login({ loginKey: 'not an e-mail', password: 'x', client })), { names: [], transactions: 0 })
  assert.equal(await resultCode(login({ loginKey: 'not an e-mail', password: 'x', client })), '10')
})
