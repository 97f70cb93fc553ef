import { config } from '@/lib/config'
import { DEMO_USERS } from '@/lib/admin/seed-data'
import { login } from '@/lib/auth/login'
import { isSimulatedPhone } from '@/lib/demo/simulated-phones'
import { invalidArgument } from '@/lib/errors'
import { requireDemoDatabase } from '@/lib/db/database-mark'

/** Why the demo cannot sign in from another device for this user. */
export class DemoRefusedError extends Error {
  override name = 'DemoRefusedError'
  constructor(readonly reason: 'demoModeOff' | 'notDemoAccount') {
    super(reason === 'demoModeOff' ? 'demo mode is off' : 'not a demo account')
  }
}

/**
 * Demo mode only: signs a demo account in from a simulated phone, through the same
 * login the API's clients use (lib/auth/login.ts) with the account's public demo
 * password. So the login is throttled, recorded in the login log and counted like
 * any other, and the single-device rule ends the user's other session — the
 * browser's own, which then shows the "signed in on another device" notice. Only on a
 * database marked demo (else NotDemoDatabaseError): the password it uses is public.
 */
export async function signInFromAnotherDevice(input: { loginKey: string; phone: unknown; ip?: string }) {
  if (!config().demoMode) throw new DemoRefusedError('demoModeOff')
  if (!isSimulatedPhone(input.phone)) throw invalidArgument('device', 'not one of the demo phones')
  const account = DEMO_USERS.find((demo) => demo.email === input.loginKey)
  if (!account) throw new DemoRefusedError('notDemoAccount')
  await requireDemoDatabase('Signing a demo account in from a simulated phone')
  const session = await login({ loginKey: account.email, password: account.password, client: { device: input.phone, ip: input.ip }, demo: true })
  return { userId: session.userId, sessionId: session.sessionId, device: input.phone }
}
