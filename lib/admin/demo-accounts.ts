import { DEMO_USERS } from '@/lib/admin/seed-data'
import { demoModeActive } from '@/lib/db/database-mark'

/** The seed's demo accounts, for the login page; none at all unless demo mode is on and the database is a demo. */
export async function listDemoAccounts(): Promise<{ email: string; password: string; name: string }[]> {
  if (!(await demoModeActive())) return []
  return DEMO_USERS.map(({ email, password, name }) => ({ email, password, name }))
}
