import { z } from 'zod'
import { config } from '@/lib/config'
import { prisma } from '@/lib/db'
import type { Session } from '@/lib/generated/prisma/client'
import { checkSession, findSessionById, isLive } from '@/lib/auth/sessions'

/**
 * What an open page is told when its session ends (the `ended` event of
 * GET /api/session/events, docs/architecture.md#live-sign-out): why (de_session.end_reason,
 * or MISSING for a cookie that names no session), when (ISO 8601, UTC), and for a
 * login elsewhere the device that logged in.
 */
export type SessionEnded = { reason: string; at: string; device: string | null }

/** The database's channel, fed by the trigger on de_session (prisma/migrations/*_session_ended_notify). */
export const SESSION_ENDED_CHANNEL = 'fc_session_ended'

const notification = z.object({
  tenant: z.string(),
  session: z.string(),
  reason: z.string().nullable(),
  at: z.string(),
  device: z.string().nullable(),
})

/** A notification of the channel, for this tenant's session, or null (another tenant's, or not ours to read). */
export function parseSessionEnded(payload: string): { sessionId: string; ended: SessionEnded } | null {
  let json: unknown
  try {
    json = JSON.parse(payload)
  } catch {
    return null
  }
  const parsed = notification.safeParse(json)
  if (!parsed.success || parsed.data.tenant !== config().FC_TENANT_ID) return null
  const { session, reason, at, device } = parsed.data
  const time = new Date(at)
  return { sessionId: session, ended: { reason: reason ?? 'ENDED', at: Number.isNaN(time.getTime()) ? at : time.toISOString(), device } }
}

/** How a row that is no longer live ended, with the device of the login that replaced it. */
async function describeEnd(session: Session): Promise<SessionEnded> {
  const replacer = session.replacedBy ? await findSessionById(session.replacedBy) : null
  return {
    reason: session.endReason ?? 'ENDED',
    at: (replacer?.createdAt ?? session.endedAt ?? new Date()).toISOString(),
    device: replacer?.device ?? null,
  }
}

/**
 * Whether the session is over, by the check every page makes (lib/auth/session-guard.ts):
 * the live row, or how it ended. A session found timed out is ended here, which the
 * trigger announces to every instance.
 */
export async function sessionState(sessionId: string | null): Promise<{ live: Session } | { ended: SessionEnded }> {
  const row = sessionId ? await findSessionById(sessionId) : null
  const check = await checkSession(row)
  if (check.ok) return { live: check.session }
  if (check.problem.kind === 'expired') return { ended: { reason: check.problem.reason, at: new Date().toISOString(), device: null } }
  if (!row) return { ended: { reason: 'MISSING', at: new Date().toISOString(), device: null } }
  return { ended: await describeEnd(row) }
}

/**
 * Of the given sessions, those that are no longer live, with how each ended: for
 * catching up on notifications sent while nobody listened.
 */
export async function endedAmong(sessionIds: string[]): Promise<Map<string, SessionEnded>> {
  const ended = new Map<string, SessionEnded>()
  for (let i = 0; i < sessionIds.length; i += 1000) {
    const ids = sessionIds.slice(i, i + 1000)
    const rows = await prisma.session.findMany({ where: { tenantId: config().FC_TENANT_ID, id: { in: ids } } })
    const found = new Map(rows.map((row) => [row.id, row]))
    for (const id of ids) {
      const row = found.get(id)
      if (!row) ended.set(id, { reason: 'MISSING', at: new Date().toISOString(), device: null })
      else if (row.endReason) ended.set(id, await describeEnd(row))
      else if (!isLive(row)) {
        // timed out, not yet ended: the page's check ends it and says which timeout
        const state = await sessionState(id)
        if ('ended' in state) ended.set(id, state.ended)
      }
    }
  }
  return ended
}
