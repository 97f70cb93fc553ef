import { config } from '@/lib/config'
import { DomainError } from '@/lib/errors'
import type { ClientInfo } from '@/lib/auth/client-info'
import { startSession, type NewSession, type StartedSession } from '@/lib/auth/sessions'
import { endLoginWithoutSession } from '@/lib/auth/throttle'
import { hashToken, newAccessToken, newRefreshToken } from '@/lib/auth/tokens'
import { verifyCredentials, type CheckedLogin } from '@/lib/auth/verify-credentials'

export type ApiLogin = { userId: string; sessionId: string; token: string; refreshToken: string; expireTime: Date }

/**
 * Starts the session of a login whose password was right (one statement, which also
 * frees the login's slots and records the attempt). Should that statement fail, the
 * slots are given back if the database still answers.
 */
async function startLoginSession(checked: CheckedLogin, session: Omit<NewSession, 'userId' | 'device' | 'login'>): Promise<StartedSession> {
  try {
    return await startSession({ ...session, userId: checked.userId, device: checked.device, login: checked.reservation })
  } catch (error) {
    if (!(error instanceof DomainError)) await endLoginWithoutSession(checked.reservation, 'unused').catch(() => {})
    throw error
  }
}

/**
 * user.User/Login: verifies the credentials and starts a session that ends the
 * user's previous one on every device. Returns an access token and a refresh token.
 * Two database round trips when it succeeds (docs/architecture.md#a-login-in-two-statements).
 */
export async function login(input: { loginKey: unknown; password: unknown; channel?: 'api'; client: ClientInfo }): Promise<ApiLogin> {
  const checked = await verifyCredentials(input, 'api', input.client)
  const token = newAccessToken()
  const refreshToken = newRefreshToken()
  const now = Date.now()
  const expireTime = new Date(now + config().TOKEN_TTL_SECONDS * 1000)
  const session = await startLoginSession(checked, {
    channel: 'api',
    ipAddress: input.client.ip,
    tokenHash: hashToken(token),
    tokenExpiresAt: expireTime,
    refreshTokenHash: hashToken(refreshToken),
    refreshExpiresAt: new Date(now + config().REFRESH_TTL_SECONDS * 1000),
  })
  return { userId: checked.userId, sessionId: session.id, token, refreshToken, expireTime }
}

/** The browser's login: same checks, a session without API tokens (the cookie carries its id). */
export async function loginWeb(input: { loginKey: unknown; password: unknown; client: ClientInfo }): Promise<StartedSession> {
  const checked = await verifyCredentials(input, 'web', input.client)
  return startLoginSession(checked, { channel: 'web', ipAddress: input.client.ip })
}
