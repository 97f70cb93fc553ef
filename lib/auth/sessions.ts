import { randomUUID } from 'node:crypto'
import { prisma, runStatement } from '@/lib/db'
import { config } from '@/lib/config'
import { Prisma, type PrismaClient, type Session } from '@/lib/generated/prisma/client'
import type { Actor } from '@/lib/auth/actor'
import { isUniqueViolation } from '@/lib/db/unique-violation'
import { DomainError, ResultCode } from '@/lib/errors'
import { logger } from '@/lib/observability/logger'
import { UserStatus } from '@/lib/statuses'
import { startLoginSession } from '@/lib/db/statements/start-login-session'
import { touchSession } from '@/lib/db/statements/touch-session'
import { deleteSessionsPastRetention as deleteSessionsStatement } from '@/lib/db/statements/session-past-retention'
import { countOn } from '@/lib/db/on-prisma'
import { slotParameters, type LoginReservation } from '@/lib/auth/throttle'

export type Channel = 'web' | 'api'

/** de_user.user_status of a user who may sign in; any other status is, for login, no user at all. */
export const USER_STATUS_ACTIVE = UserStatus.ACTIVE
export type EndReason = 'REPLACED' | 'LOGOUT' | 'IDLE_TIMEOUT' | 'ABSOLUTE_TIMEOUT' | 'REFRESH_REUSE' | 'ADMIN'

/** de_session.status: ACTIVE while live, then what ended it. */
export function statusAfter(reason: EndReason): 'REVOKED' | 'LOGGED_OUT' | 'EXPIRED' {
  if (reason === 'LOGOUT') return 'LOGGED_OUT'
  if (reason === 'IDLE_TIMEOUT' || reason === 'ABSOLUTE_TIMEOUT') return 'EXPIRED'
  return 'REVOKED'
}

export type NewSession = {
  userId: string
  channel: Channel
  device: string
  ipAddress?: string
  tokenHash?: string
  tokenExpiresAt?: Date
  refreshTokenHash?: string
  refreshExpiresAt?: Date
  /** the login this session is for: its throttling slots are freed and its attempt recorded with the session */
  login?: LoginReservation
}

/** What the caller of startSession needs of the new session. */
export type StartedSession = { tenantId: string; id: string; userId: string; device: string }

/** The client a change runs on: the app's, the admin CLI's own, or a transaction's. */
type Db = PrismaClient | Prisma.TransactionClient

/**
 * What "live" means: the session holds its user's one live slot (live_user_id,
 * unique per user, set exactly until the session is ended) and has timed out
 * neither way. As a filter for the database…
 */
export const liveSessionWhere = (now = new Date()) =>
  ({ liveUserId: { not: null }, idleExpiresAt: { gt: now }, absoluteExpiresAt: { gt: now } }) satisfies Prisma.SessionWhereInput

/** …and for a row already read. */
export const isLive = (s: Pick<Session, 'liveUserId' | 'idleExpiresAt' | 'absoluteExpiresAt'>, now = new Date()) =>
  s.liveUserId !== null && s.idleExpiresAt > now && s.absoluteExpiresAt > now

/**
 * Deletes at most `limit` sessions of the tenant that are past retention
 * (lib/db/statements/session-past-retention.ts), skipping rows another transaction
 * holds; resolves with how many went. Their refresh tokens are the caller's to
 * delete first (lib/agreements/retention.ts).
 */
export const deleteSessionsPastRetention = (cutoff: Date, limit: number) =>
  deleteSessionsStatement.count(countOn(prisma), retentionOfSessions(cutoff, limit))

/** The values of the statements over sessions past retention. */
export const retentionOfSessions = (cutoff: Date, limit: number) => ({
  tenantId: config().FC_TENANT_ID,
  cutoff,
  limit,
  absoluteSeconds: config().SESSION_ABSOLUTE_SECONDS,
})

/** Only a session holding its live slot can be ended; ending frees the slot. */
const stillLive = { liveUserId: { not: null } } satisfies Prisma.SessionWhereInput
const endedColumns = (reason: EndReason, now: Date) => ({ liveUserId: null, status: statusAfter(reason), endReason: reason, endedAt: now })

// Touching last_seen on every request would double the writes of a read-only
// call; sliding the idle window at most once a minute is precise enough.
const TOUCH_INTERVAL_MS = 60_000

// A login of the same user that commits while this one's statement runs makes it
// fail on the live-slot key, and it runs again with a fresh snapshot; each such
// failure means another login of that user has succeeded, so this bound is only
// reached by a burst of logins of one user far beyond any real use.
const MAX_START_ATTEMPTS = 50

/**
 * Starts a session and ends the user's previous one, atomically, in one statement
 * (lib/db/statements/start-login-session.ts). The user row is locked in it
 * so that logins of one user queue up instead of colliding; the unique key on
 * live_user_id is what guarantees the outcome, and a collision (a login of the same
 * user that committed after this statement began) is retried.
 *
 * The user's status is read under that lock: disabling a user takes the same row
 * lock and ends the user's live sessions in its transaction, so a login already
 * past its password check either starts its session before the disable (which
 * then ends it) or sees the user disabled and is refused (01).
 */
export async function startSession(input: NewSession): Promise<StartedSession> {
  const { FC_TENANT_ID: tenantId, SESSION_IDLE_SECONDS, SESSION_ABSOLUTE_SECONDS } = config()
  for (let attempt = 1; ; attempt++) {
    const id = randomUUID()
    const now = new Date()
    try {
      const [row] = await startLoginSession.run(runStatement, {
        ...slotParameters(input.login, 'unused'),
        userId: input.userId,
        sessionId: id,
        channel: input.channel,
        device: input.device,
        ipAddress: input.ipAddress ?? null,
        tokenHash: input.tokenHash ?? null,
        tokenExpiresAt: input.tokenExpiresAt ?? null,
        now,
        idleExpiresAt: new Date(now.getTime() + SESSION_IDLE_SECONDS * 1000),
        absoluteExpiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_SECONDS * 1000),
        refreshTokenHash: input.refreshTokenHash ?? null,
        refreshExpiresAt: input.refreshExpiresAt ?? null,
        activeStatus: USER_STATUS_ACTIVE,
        recordAttempt: input.login !== undefined,
      })
      if (!row.started) throw new DomainError(ResultCode.USER_NOT_FOUND)
      if (row.replaced > 0) logger.info({ event: 'session_replaced', userId: input.userId, channel: input.channel }, 'a login ended the previous session')
      return { tenantId, id, userId: input.userId, device: input.device }
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= MAX_START_ATTEMPTS) throw error
    }
  }
}

/** Why a session cannot be used, for the notice a signed-out browser shows. */
export type SessionProblem =
  | { kind: 'missing' }
  | { kind: 'ended'; reason: string | null; replacedBy?: { at: Date; device: string } }
  | { kind: 'expired'; reason: EndReason }

export type SessionCheck = { ok: true; session: Session; actor: Actor } | { ok: false; problem: SessionProblem }

/** Checks a session row: live, not idle too long, not past its absolute end. Slides the idle window. */
export async function checkSession(session: Session | null, now = new Date()): Promise<SessionCheck> {
  if (!session) return { ok: false, problem: { kind: 'missing' } }
  if (session.liveUserId === null) {
    const replacedBy = session.replacedBy ? await replacement(session.replacedBy) : undefined
    return { ok: false, problem: { kind: 'ended', reason: session.endReason, replacedBy } }
  }
  const expired: EndReason | undefined =
    session.absoluteExpiresAt <= now ? 'ABSOLUTE_TIMEOUT' : session.idleExpiresAt <= now ? 'IDLE_TIMEOUT' : undefined
  if (expired) {
    await endSession(session.id, expired)
    return { ok: false, problem: { kind: 'expired', reason: expired } }
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    const idleExpiresAt = new Date(Math.min(now.getTime() + config().SESSION_IDLE_SECONDS * 1000, session.absoluteExpiresAt.getTime()))
    await touchSession.run(runStatement, { tenantId: session.tenantId, sessionId: session.id, idleExpiresAt, now })
  }
  return {
    ok: true,
    session,
    actor: { tenantId: session.tenantId, userId: session.userId, sessionId: session.id, device: session.device },
  }
}

async function replacement(sessionId: string) {
  const next = await prisma.session.findUnique({
    where: { tenantId_id: { tenantId: config().FC_TENANT_ID, id: sessionId } },
    select: { createdAt: true, device: true },
  })
  return next ? { at: next.createdAt, device: next.device } : undefined
}

export const findSessionById = (id: string) =>
  prisma.session.findUnique({ where: { tenantId_id: { tenantId: config().FC_TENANT_ID, id } } })

/** Ends a session if it is still live; ending one twice changes nothing. */
export async function endSession(id: string, reason: EndReason): Promise<void> {
  const ended = await endLiveSession(prisma, id, reason)
  if (ended.count > 0) logger.info({ event: 'session_ended', sessionId: id, reason }, 'session ended')
}

/**
 * Ends a session through `db` if it is still live, so that a session that ended
 * meanwhile keeps its own reason; `count` says whether it ended it. Writes no log
 * line: the admin CLI reports for itself.
 */
export const endLiveSession = (db: Db, id: string, reason: EndReason) =>
  db.session.updateMany({ where: { tenantId: config().FC_TENANT_ID, id, ...stillLive }, data: endedColumns(reason, new Date()) })

/** Ends every live session of a user; a query, so that it can join a batch transaction. */
export const endSessionsOfUser = (db: Db, userId: string, reason: EndReason) =>
  db.session.updateMany({ where: { tenantId: config().FC_TENANT_ID, liveUserId: userId }, data: endedColumns(reason, new Date()) })

/**
 * Gives a live, unexpired session a new access token (a refresh), in the caller's
 * transaction; `count` is 0 when the session is no longer live.
 */
export const renewSessionToken = (tx: Db, id: string, tokenHash: string, tokenExpiresAt: Date) => {
  const now = new Date()
  return tx.session.updateMany({
    where: { tenantId: config().FC_TENANT_ID, id, ...liveSessionWhere(now) },
    data: { tokenHash, tokenExpiresAt, lastSeenAt: now },
  })
}

/** The tenant's live sessions, browser and API. */
export const countLiveSessions = (now = new Date()) => prisma.session.count({ where: { tenantId: config().FC_TENANT_ID, ...liveSessionWhere(now) } })

/**
 * `npm run demo:reset` (lib/admin/demo-reset.ts): every session of the tenant goes with
 * the rest of its rows, in the reset's one transaction. A page still open finds its
 * session gone at its next request or stream reconnect.
 */
export const deleteTenantSessions = (db: PrismaClient, tenantId: string) => db.session.deleteMany({ where: { tenantId } })
