import '@/lib/testing/fresh-database'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { config } from '@/lib/config'
import { closeDatabase, prisma } from '@/lib/db'
import { countLiveSessions, isLive, liveSessionWhere } from '@/lib/auth/sessions'
import { createUser } from '@/lib/testing/fixtures'

after(closeDatabase)

test('the live rule gives one answer whether the database or the code applies it', async () => {
  const tenantId = config().FC_TENANT_ID
  const now = new Date()
  const later = new Date(now.getTime() + 3600_000)
  const earlier = new Date(now.getTime() - 1000)
  const kinds = {
    live: { live: true, idle: later, absolute: later },
    ended: { live: false, idle: later, absolute: later },
    idle: { live: true, idle: earlier, absolute: later },
    absolute: { live: true, idle: later, absolute: earlier },
  }
  const ids: Record<string, string> = {}
  for (const [kind, s] of Object.entries(kinds)) {
    // the one live slot per user: a user for each session
    const userId = await createUser(`${kind}@example.com`)
    ids[kind] = randomUUID()
    await prisma.session.create({
      data: {
        tenantId, id: ids[kind], userId, liveUserId: s.live ? userId : null, channel: 'api', device: 'test',
        idleExpiresAt: s.idle, absoluteExpiresAt: s.absolute,
      },
    })
  }
  const rows = await prisma.session.findMany({ where: { tenantId } })
  assert.deepEqual(rows.filter((r) => isLive(r, now)).map((r) => r.id), [ids.live])
  const byDatabase = await prisma.session.findMany({ where: { tenantId, ...liveSessionWhere(now) }, select: { id: true } })
  assert.deepEqual(byDatabase.map((r) => r.id), [ids.live])
  assert.equal(await countLiveSessions(), 1)
})

// Ending sessions and deciding what is live are rules of lib/auth/sessions.ts:
// no other module writes de_session or reads its live slot. The statements it runs
// are kept beside it as SQL text (so that the benchmark's floor runs the same ones).
test('only lib/auth/sessions.ts (and its statements) changes a session or tells whether one is live', () => {
  const owners = ['lib/auth/sessions.ts', 'lib/db/statements/session-by-token.ts', 'lib/db/statements/touch-session.ts', 'lib/db/statements/session-past-retention.ts', 'lib/db/statements/start-login-session.ts'].map((f) => path.join(...f.split('/')))
  const files = ['lib', 'app', 'components', 'scripts']
    .flatMap((dir) => fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f))))
    .concat('server.ts')
    .filter((f) => /\.(ts|tsx|mjs)$/.test(f) && !f.endsWith('.test.ts') && !f.includes('generated') && !owners.includes(f))
  const rules = [/\.session\.(update|updateMany|create|createMany|delete|deleteMany|upsert)\b/, /\bliveUserId\b/, /\b(UPDATE|INSERT INTO|DELETE FROM) de_session\b/i]
  const offenders = files.filter((f) => rules.some((rule) => rule.test(fs.readFileSync(f, 'utf8'))))
  assert.deepEqual(offenders, [])
})
