// `npm run demo:reset`: puts a demo's data back to the seed (lib/admin/demo-reset.ts).
// Demo mode only; exit codes: 0 reset, 1 refused or failed.
import { config, ConfigError } from '@/lib/config'
import { DemoResetRefusedError, resetDemo } from '@/lib/admin/demo-reset'
import { describeSeed } from '@/lib/admin/describe-seed'

let exitCode = 1
// the database is imported only once the reset may run, so a refusal opens nothing
let db: typeof import('@/lib/db') | undefined
try {
  if (!config().demoMode) throw new DemoResetRefusedError()
  db = await import('@/lib/db')
  const { removed, seeded } = await resetDemo(db.prisma)
  const total = Object.values(removed).reduce((a, b) => a + b, 0)
  const counts = Object.entries(removed)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${table} ${n}`)
    .join(', ')
  console.log(`Removed ${total} rows of tenant ${seeded.tenantId}${counts ? ` (${counts})` : ''}.\n`)
  console.log(describeSeed(seeded))
  exitCode = 0
} catch (error) {
  const refused = error instanceof DemoResetRefusedError || error instanceof ConfigError
  console.error(`${refused ? 'Refused' : 'Reset failed'}: ${error instanceof Error ? error.message : String(error)}`)
} finally {
  await db?.closeDatabase().catch(() => {})
}
process.exit(exitCode)
