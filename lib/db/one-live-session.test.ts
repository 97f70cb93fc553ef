import '@/lib/testing/fresh-database'
import { randomUUID } from 'node:crypto'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { config } from '@/lib/config'
import { closeDatabase, prisma } from '@/lib/db'
import { Prisma } from '@/lib/generated/prisma/client'

after(closeDatabase)

// docs/product.md#single-device-sign-in: the database itself allows at most one live session per user, so
// two logins racing each other cannot both survive.
test('of 10 concurrent live sessions for one user, exactly one is stored', async () => {
  const tenantId = config().FC_TENANT_ID
  const userId = 'U0000000000000042'
  await prisma.user.create({ data: { tenantId, id: userId, name: 'Racer', type: 'PERSONAL' } })
  const expires = new Date(Date.now() + 3600_000)

  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      prisma.session.create({
        data: {
          tenantId,
          id: randomUUID(),
          userId,
          liveUserId: userId,
          channel: 'api',
          device: `device ${i}`,
          idleExpiresAt: expires,
          absoluteExpiresAt: expires,
        },
      }),
    ),
  )

  const fulfilled = results.filter((r) => r.status === 'fulfilled')
  const rejected = results.filter((r) => r.status === 'rejected')
  assert.equal(fulfilled.length, 1)
  assert.equal(rejected.length, 9)
  for (const r of rejected) {
    assert.ok(r.reason instanceof Prisma.PrismaClientKnownRequestError, String(r.reason))
    assert.equal(r.reason.code, 'P2002')
  }
  const live = await prisma.session.findMany({ where: { tenantId, liveUserId: { not: null } } })
  assert.equal(live.length, 1)
  assert.equal(live[0].id, fulfilled[0].value.id)
  assert.equal(await prisma.session.count({ where: { tenantId, userId } }), 1)
})

test('ended sessions (live_user_id NULL) do not count against the limit', async () => {
  const tenantId = config().FC_TENANT_ID
  const userId = 'U0000000000000043'
  const expires = new Date(Date.now() + 3600_000)
  const session = (live: boolean) => ({
    tenantId,
    id: randomUUID(),
    userId,
    liveUserId: live ? userId : null,
    channel: 'web',
    device: 'Firefox on Linux',
    idleExpiresAt: expires,
    absoluteExpiresAt: expires,
  })
  await prisma.session.createMany({ data: [session(false), session(false), session(true)] })
  assert.equal(await prisma.session.count({ where: { tenantId, userId } }), 3)
})
