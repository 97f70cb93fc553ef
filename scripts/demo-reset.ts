// `npm run demo:reset`: puts a demo's data back to the seed (lib/admin/demo-reset.ts).
// Only on a database marked demo, whatever NODE_ENV or DEMO_MODE say
// (docs/operations.md#the-demo-mark). Exit codes: 0 reset, 1 refused or failed.
import { ConfigError } from '@/lib/config'
import { closeDatabase, prisma } from '@/lib/db'
import { NotDemoDatabaseError } from '@/lib/db/database-mark'
import { resetDemo } from '@/lib/admin/demo-reset'
import { describeSeed } from '@/lib/admin/describe-seed'

let exitCode = 1
try {
  const { removed, seeded } = await resetDemo(prisma)
  const total = Object.values(removed).reduce((a, b) => a + b, 0)
  const counts = Object.entries(removed)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${table} ${n}`)
    .join(', ')
  console.log(`Removed ${total} rows of tenant ${seeded.tenantId}${counts ? ` (${counts})` : ''}.\n`)
  console.log(describeSeed(seeded))
  exitCode = 0
} catch (error) {
  const refused = error instanceof NotDemoDatabaseError || error instanceof ConfigError
  console.error(`${refused ? 'Refused' : 'Reset failed'}: ${error instanceof Error ? error.message : String(error)}`)
} finally {
  await closeDatabase().catch(() => {})
}
process.exit(exitCode)
