import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import type { ClientInfo } from '@/lib/auth/client-info'
import { startSession, type Channel } from '@/lib/auth/sessions'
import { hashToken, newAccessToken, newRefreshToken } from '@/lib/auth/tokens'
import { recordSuccessfulLogin, verifyCredentials } from '@/lib/auth/verify-credentials'

export type ApiLogin = { userId: string; sessionId: string; token: string; refreshToken: string; expireTime: Date }

/**
 * user.User/Login: verifies the credentials and starts a session that ends the
 * user's previous one on every device. Returns an access token and a refresh token.
 */
export async function login(input: { loginKey: unknown; password: unknown; channel?: Channel; client: ClientInfo }): Promise<ApiLogin> {
  const { userId, device } = await verifyCredentials(input, 'api', input.client)
  const token = newAccessToken()
  const refreshToken = newRefreshToken()
  const expireTime = new Date(Date.now() + config().TOKEN_TTL_SECONDS * 1000)
  const session = await startSession({
    userId,
    channel: 'api',
    device,
    ipAddress: input.client.ip,
    tokenHash: hashToken(token),
    tokenExpiresAt: expireTime,
  })
  await prisma.refreshToken.create({
    data: {
      tenantId: session.tenantId,
      tokenHash: hashToken(refreshToken),
      sessionId: session.id,
      expiresAt: new Date(Date.now() + config().REFRESH_TTL_SECONDS * 1000),
    },
  })
  await recordSuccessfulLogin(userId, session.id, 'api', device, input.client)
  return { userId, sessionId: session.id, token, refreshToken, expireTime }
}

/** The browser's login: same checks, a session without API tokens (the cookie carries its id). */
export async function loginWeb(input: { loginKey: unknown; password: unknown; client: ClientInfo }) {
  const { userId, device } = await verifyCredentials(input, 'web', input.client)
  const session = await startSession({ userId, channel: 'web', device, ipAddress: input.client.ip })
  await recordSuccessfulLogin(userId, session.id, 'web', device, input.client)
  return session
}
