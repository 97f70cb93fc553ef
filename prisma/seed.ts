// `npm run db:seed`: the starting products and arrangement, plus the demo users when
// demo mode is on (DEMO_MODE=true, as `npm run demo:seed` sets it, or local development
// on the embedded database; never by default in production or on PostgreSQL). Safe to re-run.
import { config } from '@/lib/config'
import { closeDatabase, prisma } from '@/lib/db'
import { seed } from '@/lib/admin/seed'
import { describeSeed } from '@/lib/admin/describe-seed'

let exitCode = 0
try {
  const report = await seed(prisma, { demoUsers: config().demoMode })
  console.log(describeSeed(report))
} catch (error) {
  console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`)
  exitCode = 1
} finally {
  await closeDatabase()
}
process.exit(exitCode)
