import { z } from 'zod'
import type { PrismaClient } from '@/lib/generated/prisma/client'
import { config } from '@/lib/config'
import { findUser, type AdminUser } from '@/lib/admin/find-user'
import { adminRefusal, userRef, type UserRef } from '@/lib/admin/validation'
import { parseInput } from '@/lib/validation/parse'
import { isLive } from '@/lib/auth/sessions'

const schema = z.object({
  limit: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(50),
})

export type AdminSession = {
  id: string
  channel: string
  device: string
  ipAddress: string | null
  createdAt: Date
  lastSeenAt: Date
  status: string
  endReason: string | null
  endedAt: Date | null
  /** holds the user's one live slot and has not timed out */
  live: boolean
}

export type ListSessionsResult = { user: AdminUser; sessions: AdminSession[] }

/** A user's sessions, newest first. */
export async function listSessions(
  db: PrismaClient,
  input: UserRef & { limit?: number },
): Promise<ListSessionsResult> {
  const { email, userId, limit: rawLimit } = input
  const ref = parseInput(userRef, { email, userId }, adminRefusal)
  const { limit } = parseInput(schema, { limit: rawLimit }, adminRefusal)
  const user = await findUser(db, ref)
  const rows = await db.session.findMany({
    where: { tenantId: config().FC_TENANT_ID, userId: user.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  })
  const now = new Date()
  const sessions = rows.map((s) => ({
    id: s.id,
    channel: s.channel,
    device: s.device,
    ipAddress: s.ipAddress,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    status: s.status,
    endReason: s.endReason,
    endedAt: s.endedAt,
    live: isLive(s, now),
  }))
  return { user, sessions }
}
