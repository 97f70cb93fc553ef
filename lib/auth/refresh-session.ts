import { prisma } from '@/lib/db'
import { config } from '@/lib/config'
import type { ClientInfo } from '@/lib/auth/client-info'
import { notLoggedIn } from '@/lib/auth/authenticate-token'
import { endSession, renewSessionToken } from '@/lib/auth/sessions'
import { logger } from '@/lib/observability/logger'
import { hashToken, isRefreshTokenShape, newAccessToken, newRefreshToken } from '@/lib/auth/tokens'

/**
 * user.User/Refresh: each refresh token works once. A spent one coming back means
 * it was copied: the session it belongs to is ended, whoever holds it now.
 */
export async function refreshSession(refreshToken: string | undefined, client: ClientInfo) {
  void client
  if (!refreshToken || !isRefreshTokenShape(refreshToken)) throw notLoggedIn()
  const tenantId = config().FC_TENANT_ID
  const tokenHash = hashToken(refreshToken)
  const row = await prisma.refreshToken.findUnique({ where: { tenantId_tokenHash: { tenantId, tokenHash } } })
  if (!row) throw notLoggedIn()
  if (row.spentAt) {
    logger.warn({ event: 'refresh_reuse', sessionId: row.sessionId }, 'a spent refresh token came back: ending its session')
    await endSession(row.sessionId, 'REFRESH_REUSE')
    throw notLoggedIn()
  }
  if (row.expiresAt <= new Date()) throw notLoggedIn()

  const token = newAccessToken()
  const nextRefreshToken = newRefreshToken()
  const expireTime = new Date(Date.now() + config().TOKEN_TTL_SECONDS * 1000)
  const rotated = await prisma.$transaction(async (tx) => {
    // the conditional update is the one use: of two concurrent refreshes, one wins
    const spent = await tx.refreshToken.updateMany({ where: { tenantId, tokenHash, spentAt: null }, data: { spentAt: new Date() } })
    if (spent.count !== 1) return false
    const live = await renewSessionToken(tx, row.sessionId, hashToken(token), expireTime)
    if (live.count !== 1) return 'ended' as const
    await tx.refreshToken.create({
      data: { tenantId, tokenHash: hashToken(nextRefreshToken), sessionId: row.sessionId, expiresAt: new Date(Date.now() + config().REFRESH_TTL_SECONDS * 1000) },
    })
    return true
  })
  if (rotated === false) {
    await endSession(row.sessionId, 'REFRESH_REUSE')
    throw notLoggedIn()
  }
  if (rotated === 'ended') throw notLoggedIn()
  return { token, refreshToken: nextRefreshToken, expireTime }
}
