import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { hashPassword, verifyPassword } from '@/lib/auth/password'
import { requireDemoDatabase, statementsOn } from '@/lib/db/database-mark'
import { DEMO_USERS, SEED_ARRANGEMENTS, SEED_PRODUCTS, type DemoUser } from '@/lib/admin/seed-data'
import { UserStatus } from '@/lib/statuses'

// Idempotent: a second run writes nothing. Rows that match the seed are left
// alone (gmt_modified keeps its value), rows that drifted from it are put back,
// and existing users are never touched (no re-hash, no re-enable).

export type RowOutcome = 'created' | 'updated' | 'unchanged'

export type DemoAccount = {
  email: string
  password: string
  name: string
  userId: string
  status: string
  outcome: 'created' | 'existing'
  /** false when someone has changed the account's password since it was seeded */
  passwordWorks: boolean
}

export type SeedReport = {
  tenantId: string
  products: { code: string; outcome: RowOutcome }[]
  arrangements: { number: string; outcome: RowOutcome }[]
  /** null when demo users were not asked for */
  demoAccounts: DemoAccount[] | null
}

/** The fields of `wanted` whose value in `row` differs. */
function changedFields<T extends Record<string, unknown>>(row: Record<string, unknown>, wanted: T): Partial<T> {
  return Object.fromEntries(Object.entries(wanted).filter(([key, value]) => row[key] !== value)) as Partial<T>
}

async function seedProducts(db: PrismaClient, tenantId: string): Promise<SeedReport['products']> {
  const rows = await db.product.findMany({ where: { tenantId, code: { in: SEED_PRODUCTS.map((p) => p.code) } } })
  const existing = new Map(rows.map((row) => [row.code, row]))
  const missing = SEED_PRODUCTS.filter((p) => !existing.has(p.code))
  if (missing.length > 0) {
    await db.product.createMany({ data: missing.map((p) => ({ tenantId, ...p })), skipDuplicates: true })
  }
  const report: SeedReport['products'] = []
  for (const product of SEED_PRODUCTS) {
    const row = existing.get(product.code)
    const changes = row ? changedFields(row, { ...product }) : {}
    if (row && Object.keys(changes).length > 0) {
      await db.product.update({ where: { tenantId_code: { tenantId, code: product.code } }, data: changes })
    }
    report.push({ code: product.code, outcome: !row ? 'created' : Object.keys(changes).length > 0 ? 'updated' : 'unchanged' })
  }
  return report
}

async function seedArrangements(db: PrismaClient, tenantId: string): Promise<SeedReport['arrangements']> {
  const numbers = SEED_ARRANGEMENTS.map((a) => a.number)
  const rows = await db.arrangement.findMany({ where: { tenantId, number: { in: numbers } } })
  const existing = new Map(rows.map((row) => [row.number, row]))
  const missing = SEED_ARRANGEMENTS.filter((a) => !existing.has(a.number))
  if (missing.length > 0) {
    await db.arrangement.createMany({ data: missing.map((a) => ({ tenantId, ...a })), skipDuplicates: true })
  }
  const report: SeedReport['arrangements'] = []
  for (const arrangement of SEED_ARRANGEMENTS) {
    const row = existing.get(arrangement.number)
    const changes = row ? changedFields(row, { ...arrangement }) : {}
    if (row && Object.keys(changes).length > 0) {
      await db.arrangement.update({ where: { tenantId_number: { tenantId, number: arrangement.number } }, data: changes })
    }
    report.push({
      number: arrangement.number,
      outcome: !row ? 'created' : Object.keys(changes).length > 0 ? 'updated' : 'unchanged',
    })
  }
  return report
}

async function seedDemoUser(db: PrismaClient, tenantId: string, demo: DemoUser): Promise<DemoAccount> {
  const where = { tenantId_loginKey: { tenantId, loginKey: demo.email } }
  const before = await db.credential.findUnique({ where })
  if (!before) {
    const passwordHash = await hashPassword(demo.password)
    // skipDuplicates: a concurrent seed may have inserted them since the check
    await db.$transaction([
      db.user.createMany({
        data: [{ tenantId, id: demo.id, name: demo.name, type: demo.type, status: UserStatus.ACTIVE }],
        skipDuplicates: true,
      }),
      db.credential.createMany({
        data: [{ tenantId, loginKey: demo.email, userId: demo.id, passwordHash }],
        skipDuplicates: true,
      }),
    ])
  }
  const credential = before ?? (await db.credential.findUniqueOrThrow({ where }))
  const user = await db.user.findUnique({ where: { tenantId_id: { tenantId, id: credential.userId } } })
  return {
    email: demo.email,
    password: demo.password,
    name: user?.name ?? demo.name,
    userId: credential.userId,
    status: user?.status ?? 'missing',
    outcome: before ? 'existing' : 'created',
    passwordWorks: before ? await verifyPassword(before.passwordHash, demo.password) : true,
  }
}

/**
 * Seeds the tenant's products, arrangements and (unless told not to) the demo users.
 * The demo users' passwords are public: on a database not marked demo, asking for
 * them is refused (NotDemoDatabaseError) before anything is written.
 */
export async function seed(db: PrismaClient, options: { demoUsers?: boolean } = {}): Promise<SeedReport> {
  const tenantId = config().FC_TENANT_ID
  if (options.demoUsers ?? true) await requireDemoDatabase('Creating the demo accounts (public passwords)', statementsOn(db))
  const products = await seedProducts(db, tenantId)
  const arrangements = await seedArrangements(db, tenantId)
  let demoAccounts: DemoAccount[] | null = null
  if (options.demoUsers ?? true) {
    demoAccounts = []
    for (const demo of DEMO_USERS) demoAccounts.push(await seedDemoUser(db, tenantId, demo))
  }
  return { tenantId, products, arrangements, demoAccounts }
}
