import '@/lib/testing/fresh-database'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { closeDatabase, prisma } from '@/lib/db'
import { login } from '@/lib/auth/login'
import { authenticateToken } from '@/lib/auth/authenticate-token'
import { startSession } from '@/lib/auth/sessions'
import { verifyCredentials } from '@/lib/auth/verify-credentials'
import { disableUser } from '@/lib/admin/disable-user'
import { createUser, TEST_PASSWORD, resultCode } from '@/lib/testing/fixtures'

after(closeDatabase)

const client = { userAgent: 'curl/8.5.0', ip: '10.9.0.1' }
const liveSessionsOf = (userId: string) => prisma.session.count({ where: { userId, liveUserId: { not: null } } })

test('a login already past its password check when the user is disabled starts no session (01)', async () => {
  const userId = await createUser('ivy@example.com')
  const checked = await verifyCredentials({ loginKey: 'ivy@example.com', password: TEST_PASSWORD }, 'api', client)
  await disableUser(prisma, { userId })
  assert.equal(await resultCode(startSession({ userId: checked.userId, channel: 'api', device: checked.device, login: checked.reservation })), '01')
  assert.equal(await liveSessionsOf(userId), 0)
})

test('logins racing a disable: afterwards the user has no live session and no token they got works', async () => {
  for (const round of [1, 2, 3]) {
    const email = `racer${round}@example.com`
    const userId = await createUser(email)
    const logins = Array.from({ length: 10 }, () => login({ loginKey: email, password: TEST_PASSWORD, client }))
    const [answers] = await Promise.all([Promise.allSettled(logins), disableUser(prisma, { userId })])
    for (const answer of answers) {
      if (answer.status === 'fulfilled') {
        assert.equal(await resultCode(authenticateToken(answer.value.token)), '03', `round ${round}: a token of the disabled user works`)
      } else {
        // refused as the unknown user it now is, or throttled by those refusals
        assert.ok(['01', '05'].includes(await resultCode(Promise.reject(answer.reason))), `round ${round}: ${String(answer.reason)}`)
      }
    }
    assert.equal(await liveSessionsOf(userId), 0, `round ${round}: the disabled user has a live session`)
  }
})
