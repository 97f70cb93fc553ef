import { runStatement } from '@/lib/db'
import { config } from '@/lib/config'
import { DomainError, ResultCode } from '@/lib/errors'
import type { Actor } from '@/lib/auth/actor'
import { checkSession } from '@/lib/auth/sessions'
import { sessionByToken } from '@/lib/db/statements/session-by-token'
import { hashToken, isAccessTokenShape } from '@/lib/auth/tokens'

export const notLoggedIn = () => new DomainError(ResultCode.NOT_LOGGED_IN)

/** The API's session check: a live session whose current access token this is, unexpired. */
export async function authenticateToken(token: string | undefined): Promise<Actor> {
  if (!token || !isAccessTokenShape(token)) throw notLoggedIn()
  const [session] = await sessionByToken.run(runStatement, { tokenHash: hashToken(token) })
  if (!session || session.tenantId !== config().FC_TENANT_ID) throw notLoggedIn()
  if (!session.tokenExpiresAt || session.tokenExpiresAt <= new Date()) throw notLoggedIn()
  const check = await checkSession(session)
  if (!check.ok) throw notLoggedIn()
  return check.actor
}
