import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { seed, type SeedReport } from '@/lib/admin/seed'
import { seedDemoShop } from '@/lib/demo-shop/seed-demo-shop'
import { deleteTenantSessions } from '@/lib/auth/sessions'
import { requireDemoDatabase, statementsOn } from '@/lib/db/database-mark'

/**
 * Every table holding the tenant's rows, children before what they refer to. Each
 * model of prisma/schema.prisma must be here (lib/admin/demo-reset.test.ts checks),
 * so that a reset never leaves a demo's rows in a table added later; all but the
 * database's own mark (KEPT_TABLES), which is not a tenant's and says the reset may run.
 */
export const RESET_TABLES = [
  'demoShopEvent',
  'demoShop',
  'webhookAttempt',
  'webhookOutbox',
  'signRequest',
  'merchantReturnOrigin',
  'webhookEndpoint',
  'merchantCredential',
  'merchantProduct',
  'merchant',
  'refreshToken',
  'idempotencyRecord',
  'agreementEvent',
  'agreement',
  'loginAttempt',
  'rateLimit',
  'session',
  'credential',
  'user',
  'arrangement',
  'product',
] as const

/** Tables that hold no tenant's rows, which the reset leaves as they are. */
export const KEPT_TABLES = ['databaseMark'] as const

export type DemoResetReport = { removed: Record<(typeof RESET_TABLES)[number], number>; seeded: SeedReport }

/**
 * `npm run demo:reset`: puts the tenant back to what `npm run demo:seed` makes — deletes
 * what demos added (agreements opened, history, sessions and their tokens, login
 * log, throttling counters, extra users and products), then seeds again. The deletes
 * are one transaction, so a failure leaves the data as it was. Only on a database marked
 * demo, whatever the shell's NODE_ENV or DEMO_MODE: elsewhere it throws
 * NotDemoDatabaseError and deletes nothing.
 */
export async function resetDemo(db: PrismaClient): Promise<DemoResetReport> {
  await requireDemoDatabase('demo:reset (deletes every user, service, session and log row of the tenant)', statementsOn(db))
  const tenantId = config().FC_TENANT_ID
  const where = { where: { tenantId } }
  const counts = await db.$transaction([
    db.demoShopEvent.deleteMany(where),
    db.demoShop.deleteMany(where),
    db.webhookAttempt.deleteMany(where),
    db.webhookOutbox.deleteMany(where),
    db.signRequest.deleteMany(where),
    db.merchantReturnOrigin.deleteMany(where),
    db.webhookEndpoint.deleteMany(where),
    db.merchantCredential.deleteMany(where),
    db.merchantProduct.deleteMany(where),
    db.merchant.deleteMany(where),
    db.refreshToken.deleteMany(where),
    db.idempotencyRecord.deleteMany(where),
    db.agreementEvent.deleteMany(where),
    db.agreement.deleteMany(where),
    db.loginAttempt.deleteMany(where),
    db.rateLimit.deleteMany(where),
    deleteTenantSessions(db, tenantId),
    db.credential.deleteMany(where),
    db.user.deleteMany(where),
    db.arrangement.deleteMany(where),
    db.product.deleteMany(where),
  ])
  const removed = Object.fromEntries(RESET_TABLES.map((table, i) => [table, counts[i].count])) as DemoResetReport['removed']
  const seeded = await seed(db, { demoUsers: true })
  // the shop's merchant went with the others: a new one, so the shop works after the reset
  await seedDemoShop(db)
  return { removed, seeded }
}
