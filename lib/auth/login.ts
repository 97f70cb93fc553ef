import { config } from '@/lib/config'
import { DomainError, ResultCode } from '@/lib/errors'
import type { ClientInfo } from '@/lib/auth/client-info'
import { startSession, type NewSession, type StartedSession } from '@/lib/auth/sessions'
import { endLoginWithoutSession } from '@/lib/auth/throttle'
import { hashToken, newAccessToken, newRefreshToken } from '@/lib/auth/tokens'
import { verifyCredentials, type CheckedLogin } from '@/lib/auth/verify-credentials'
import type { Channel } from '@/lib/auth/sessions'
import { isDatabaseUnavailable } from '@/lib/db/unavailable'
import { logger } from '@/lib/observability/logger'
import { metrics } from '@/lib/observability/metrics'

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

type LoginInput = { loginKey: unknown; password: unknown; client: ClientInfo }

/** The code a login ended with, for its count: a refusal's own, 99 for an unreachable database. */
function outcomeCode(error: unknown): string {
  if (error instanceof DomainError) return error.code
  return isDatabaseUnavailable(error) ? ResultCode.UNAVAILABLE : 'internal'
}

/**
 * Every login, whichever door it comes in by (the API's JSON and gRPC calls, the login
 * form, the demo's simulated phones): the checks, throttling and the attempt's record
 * (verifyCredentials), then the session `start` makes, then the login's count by result
 * code and its log line. The doors only parse and answer.
 */
async function accountedLogin<T extends { userId: string }>(
  channel: Channel,
  input: LoginInput,
  start: (checked: CheckedLogin) => Promise<T>,
  context: { demo?: true } = {},
): Promise<T> {
  let done: T
  try {
    done = await start(await verifyCredentials(input, channel, input.client))
  } catch (error) {
    const code = outcomeCode(error)
    metrics.loginOutcomes.inc({ code })
    if (error instanceof DomainError) logger.warn({ event: 'login_failed', channel, code, loginKey: input.loginKey, ...context }, 'login refused')
    throw error
  }
  metrics.loginOutcomes.inc({ code: ResultCode.OK })
  logger.info({ event: 'login', channel, userId: done.userId, ...context }, 'login')
  return done
}

/**
 * user.User/Login: verifies the credentials and starts a session that ends the
 * user's previous one on every device. Returns an access token and a refresh token.
 * Two database round trips when it succeeds (docs/architecture.md#a-login-in-two-statements).
 */
export async function login(input: LoginInput & { demo?: true }): Promise<ApiLogin> {
  return accountedLogin(
    'api',
    input,
    async (checked) => {
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
    },
    input.demo ? { demo: true } : {},
  )
}

/** The browser's login: the same login, a session without API tokens (the cookie carries its id). */
export async function loginWeb(input: LoginInput): Promise<StartedSession> {
  return accountedLogin('web', input, (checked) => startLoginSession(checked, { channel: 'web', ipAddress: input.client.ip }))
}
