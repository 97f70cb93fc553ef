import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { AdminError } from '@/lib/admin/errors'
import { disableUser } from '@/lib/admin/disable-user'
import { DEMO_USERS } from '@/lib/admin/seed-data'
import { verifyPassword } from '@/lib/auth/password'
import { describeDatabase, describeDatabaseMark, markProduction, statementsOn, type DatabaseMark, type DatabaseMarkRow } from '@/lib/db/database-mark'
import { UserStatus } from '@/lib/statuses'

// `npm run admin -- database:mark …` (docs/operations.md#the-demo-mark): what the
// database is, and the one way to change it — a demo database becoming production.

export type DatabaseMarkShown = { database: string; mark: DatabaseMarkRow | null }

export async function showDatabaseMark(db: PrismaClient): Promise<DatabaseMarkShown> {
  return { database: describeDatabase(), mark: await describeDatabaseMark(statementsOn(db)) }
}

export type MarkedProductionResult = {
  database: string
  before: DatabaseMark | null
  markedAt: Date
  /** the demo accounts of this tenant that still had their public password: now disabled, their sessions ended */
  disabledDemoAccounts: string[]
}

/**
 * Makes the database production for good: the demo tools refuse it from then on. The
 * demo accounts of the tenant that still sign in with their public password are
 * disabled, so that no public password opens a production database.
 */
export async function markDatabaseProduction(db: PrismaClient): Promise<MarkedProductionResult> {
  const { before, markedAt } = await markProduction('admin database:mark --production', statementsOn(db))
  const tenantId = config().FC_TENANT_ID
  const credentials = await db.credential.findMany({ where: { tenantId, loginKey: { in: DEMO_USERS.map((d) => d.email) } } })
  const users = await db.user.findMany({ where: { tenantId, id: { in: credentials.map((c) => c.userId) }, status: { not: UserStatus.DISABLED } } })
  const active = new Set(users.map((u) => u.id))
  const disabledDemoAccounts: string[] = []
  for (const demo of DEMO_USERS) {
    const credential = credentials.find((c) => c.loginKey === demo.email)
    if (!credential || !active.has(credential.userId) || !(await verifyPassword(credential.passwordHash, demo.password))) continue
    await disableUser(db, { email: demo.email })
    disabledDemoAccounts.push(demo.email)
  }
  return { database: describeDatabase(), before, markedAt, disabledDemoAccounts }
}

/** There is no way back: a production database never becomes a demo one. */
export function refuseMarkDemo(): never {
  throw new AdminError(
    'conflict',
    `${describeDatabase()} cannot be marked demo from here: a database is marked demo only when it is created for a demo ` +
      '(`npm run demo` on an empty database), and a production database never becomes demo.',
  )
}
