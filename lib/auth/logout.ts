import { authenticateToken } from '@/lib/auth/authenticate-token'
import { endSession } from '@/lib/auth/sessions'

/** user.User/Logout: ends the session of this access token. */
export async function logout(token: string | undefined): Promise<void> {
  const actor = await authenticateToken(token)
  await endSession(actor.sessionId, 'LOGOUT')
}
