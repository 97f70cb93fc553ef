import { config } from '@/lib/config'
import type { SeedReport } from '@/lib/admin/seed'
import { textTable } from '@/lib/admin/text-table'
import { USER_STATUS_LABELS } from '@/lib/statuses'

/**
 * What `npm run db:seed` and `npm run demo:reset` print: the seeded rows and the demo
 * accounts' logins; `noDemoUsers` says why there are none, when the default does not.
 */
export function describeSeed(report: SeedReport, noDemoUsers?: string): string {
  const c = config()
  const where = c.DATABASE_URL ? 'PostgreSQL' : `the embedded database in ${c.PGLITE_DIR}`
  const outcomes = (rows: { key: string; outcome: string }[]) => rows.map((r) => `${r.key} ${r.outcome}`).join(', ')
  const lines = [
    `Seeded tenant ${report.tenantId} in ${where}:`,
    `  products:     ${outcomes(report.products.map((p) => ({ key: p.code, outcome: p.outcome })))}`,
    `  arrangements: ${outcomes(report.arrangements.map((a) => ({ key: a.number, outcome: a.outcome })))}`,
    '',
  ]
  if (!report.demoAccounts) {
    lines.push(noDemoUsers ?? 'Demo mode is off: no demo users were created (`npm run demo:seed` creates them on a demo database).')
    return lines.join('\n')
  }
  const rows = report.demoAccounts.map((a) => [
    a.email,
    a.passwordWorks ? a.password : '(changed since seeded)',
    a.name,
    a.userId,
    USER_STATUS_LABELS[a.status] ?? a.status,
    a.outcome,
  ])
  lines.push('Demo accounts (public demo passwords, never use them for real data):', '')
  lines.push(textTable(['login', 'password', 'name', 'user id', 'status', 'seed'], rows).replace(/^/gm, '  '))
  return lines.join('\n')
}
