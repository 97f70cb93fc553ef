import { prisma } from '@/lib/db'
import type { Actor } from '@/lib/auth/actor'
import { shownDevice } from '@/lib/auth/client-info'
import type { LoginOutcome } from '@/lib/auth/verify-credentials'

/** What the devices page says of a recent login: its recorded outcome, or what became of its session since. */
export type RecentLoginOutcome = LoginOutcome | 'KICKED_OUT' | 'SIGNED_OUT' | 'EXPIRED'
/** `device` is null when the stored name is not one the parser knows: shown as an unknown browser. */
export type Devices = {
  current: { device: string | null; since: Date; channel: string }
  recent: { at: Date; device: string | null; outcome: RecentLoginOutcome }[]
}

// what became of a successful login's session, as the user would put it
const ENDED_AS: Record<string, RecentLoginOutcome> = {
  REPLACED: 'KICKED_OUT',
  ADMIN: 'KICKED_OUT',
  REFRESH_REUSE: 'KICKED_OUT',
  LOGOUT: 'SIGNED_OUT',
  IDLE_TIMEOUT: 'EXPIRED',
  ABSOLUTE_TIMEOUT: 'EXPIRED',
}

/** The "my devices" page: this session's device, and the user's recent login attempts with what became of them. */
export async function getDevices(actor: Actor): Promise<Devices> {
  const tenantId = actor.tenantId
  const [current, attempts] = await Promise.all([
    prisma.session.findUniqueOrThrow({ where: { tenantId_id: { tenantId, id: actor.sessionId } } }),
    prisma.loginAttempt.findMany({ where: { tenantId, userId: actor.userId }, orderBy: { id: 'desc' }, take: 20 }),
  ])
  const sessionIds = attempts.map((a) => a.sessionId).filter((id): id is string => id !== null)
  const sessions = await prisma.session.findMany({
    where: { tenantId, id: { in: sessionIds } },
    select: { id: true, endReason: true },
  })
  const endReason = new Map(sessions.map((s) => [s.id, s.endReason]))
  return {
    current: { device: shownDevice(current.device), since: current.createdAt, channel: current.channel },
    recent: attempts.map((a) => {
      const ended = a.sessionId ? endReason.get(a.sessionId) : null
      const outcome = (ended && ENDED_AS[ended]) || (a.outcome as RecentLoginOutcome)
      return { at: a.createdAt, device: shownDevice(a.device), outcome }
    }),
  }
}
