import { config } from '@/lib/config'
import { DEMO_USERS } from '@/lib/admin/seed-data'

/** The seed's demo accounts, for the login page; none at all unless demo mode is on. */
export function listDemoAccounts(): { email: string; password: string; name: string }[] {
  if (!config().demoMode) return []
  return DEMO_USERS.map(({ email, password, name }) => ({ email, password, name }))
}
