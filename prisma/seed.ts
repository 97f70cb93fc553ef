// `npm run db:seed`: the starting products and arrangement, plus the demo users when
// demo mode is on (DEMO_MODE=true, as `npm run demo:seed` sets it, or the default of a
// local run on the embedded database) AND the database is marked demo: on any other
// database the demo users' public passwords are never written, whatever the shell says
// (docs/operations.md#the-demo-mark). With --demo-shop (as demo:seed runs it), also the demo
// shop's merchant (docs/merchants.md#the-demo-shop). Safe to re-run.
import path from 'node:path'
import { config } from '@/lib/config'
import { closeDatabase, prisma } from '@/lib/db'
import { describeDatabase, isDemoDatabase, markOnFirstUse, NotDemoDatabaseError } from '@/lib/db/database-mark'
import { seed } from '@/lib/admin/seed'
import { describeSeed } from '@/lib/admin/describe-seed'
import { seedDemoShop } from '@/lib/demo-shop/seed-demo-shop'

/**
 * Seeds the configured database as the command does (the demo shop with `demoShop`) and
 * leaves its connection open for the caller to close; throws NotDemoDatabaseError when refused.
 * tests/support/prepare-database-cli.ts seeds through it.
 */
export async function seedDatabase(options: { demoShop?: boolean } = {}): Promise<void> {
  const c = config()
  const asked = c.DEMO_MODE === true
  const mark = await markOnFirstUse(asked ? 'demo:seed (DEMO_MODE=true)' : `db:seed (NODE_ENV=${c.NODE_ENV})`)
  // asked for (demo:seed): refused on another database; by default: left out there
  const demoUsers = asked || (c.demoMode && (await isDemoDatabase()))
  const why = c.demoMode && !demoUsers ? `No demo users: ${describeDatabase()} is ${mark === 'production' ? 'marked production' : 'not marked as a demo database'}.` : undefined
  const report = await seed(prisma, { demoUsers })
  console.log(describeSeed(report, why))
  // --demo-shop (demo:seed): the demo shop's merchant, key, return origin and receiver, on a demo database only
  if (options.demoShop) {
    const shop = await seedDemoShop(prisma)
    console.log(
      shop.outcome === 'product-taken'
        ? `Demo shop: not made, product 00000001 already belongs to merchant ${shop.merchantId}.`
        : `Demo shop: merchant ${shop.merchantId} (${shop.outcome}), at ${new URL('/demo/shop', c.publicUrl)}`,
    )
  }
}

// as a command (`tsx prisma/seed.ts`), not when imported
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  let exitCode = 0
  try {
    await seedDatabase({ demoShop: process.argv.includes('--demo-shop') })
  } catch (error) {
    const refused = error instanceof NotDemoDatabaseError
    console.error(`${refused ? 'Refused' : 'Seeding failed'}: ${error instanceof Error ? error.message : String(error)}`)
    exitCode = 1
  } finally {
    await closeDatabase()
  }
  process.exit(exitCode)
}
